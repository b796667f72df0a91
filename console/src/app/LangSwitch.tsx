import { Button } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n.js';

/** Toggles zh-CN ⇄ English; the button names the language it switches to (in that language). */
export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  const next = lang === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <Button type="text" className="lang-switch" data-testid="lang-switch" onClick={() => setLang(next)} title={t('header.switchLanguage')} lang={next} icon={<GlobalOutlined aria-hidden />}>
      {t('lang.other')}
    </Button>
  );
}
