/**
 * 时效设置 (administrators): SLA policies, business calendars and the category taxonomy edited as
 * JSON. The server validates and answers field errors with paths, shown under the editor.
 */
import { useEffect, useId, useState } from 'react';
import { casesApi, listOf, SETTING_KEYS, type SettingKey } from '../cases-api.js';
import { useI18n } from '../i18n.js';
import { Card, ProblemAlert, SuccessNotice, useAsync } from '../ui.js';

export function SlaSettingsPage() {
  const { t } = useI18n();
  const [key, setKey] = useState<SettingKey>('sla-policies');
  return (
    <div className="page">
      <div className="segmented segmented-inline" role="tablist" data-testid="settings-tabs">
        {SETTING_KEYS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={key === k} className={`segment${key === k ? ' active' : ''}`} onClick={() => setKey(k)}>
            {t(`settings.${k}` as const)}
          </button>
        ))}
      </div>
      <SettingEditor key={key} settingKey={key} />
    </div>
  );
}

function SettingEditor({ settingKey }: { settingKey: SettingKey }) {
  const { t } = useI18n();
  const loaded = useAsync((signal) => casesApi.setting(settingKey, signal), [settingKey]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const id = useId();
  // GET answers {items, …}; PUT takes the list itself.
  const original = loaded.data === undefined ? '' : JSON.stringify(listOf(loaded.data), null, 2);

  useEffect(() => setText(original), [original]);

  const save = async () => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      setParseError(t('settings.invalidJson', { message: err instanceof Error ? err.message : String(err) }));
      return;
    }
    setParseError(null);
    setError(null);
    setBusy(true);
    try {
      await casesApi.saveSetting(settingKey, value);
      setNotice(t('settings.saved'));
      loaded.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t(`settings.${settingKey}` as const)}>
      <SuccessNotice message={notice} onClose={() => setNotice(null)} />
      <p className="card-intro muted">{t('settings.intro')}</p>
      <ProblemAlert error={loaded.error} onRetry={loaded.reload} />
      <ProblemAlert error={error} />
      {parseError ? (
        <div className="alert alert-error" role="alert">
          {parseError}
        </div>
      ) : null}
      <label htmlFor={id} className="visually-hidden">
        {t(`settings.${settingKey}` as const)}
      </label>
      <textarea id={id} className="json-editor mono" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} rows={24} data-testid="settings-json" />
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" disabled={busy || text === original} onClick={() => setText(original)}>
          {t('settings.reset')}
        </button>
        <button type="button" className="btn btn-primary" disabled={busy || text === original} onClick={save} data-testid="settings-save">
          {busy ? t('action.saving') : t('action.save')}
        </button>
      </div>
    </Card>
  );
}
