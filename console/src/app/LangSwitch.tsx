import { useI18n } from './i18n.js';
import { Icon } from './icons.js';

/** Toggles zh-CN ⇄ English; the button names the language it switches to. */
export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  const next = lang === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <button
      type="button"
      className="btn btn-ghost lang-switch"
      data-testid="lang-switch"
      onClick={() => setLang(next)}
      title={t('header.switchLanguage')}
      lang={next}
    >
      <Icon name="globe" size={16} />
      <span>{t('lang.other')}</span>
    </button>
  );
}
