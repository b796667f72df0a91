/**
 * 时效设置 (administrators): SLA policies, business calendars and the category taxonomy edited as
 * JSON, one tab each. The JSON is checked for syntax before sending; the server validates the rest
 * and answers field errors with paths, shown above the editor.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Input, Space, Tabs, Typography } from 'antd';
import { useI18n } from '../../../i18n.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { listOf, SETTING_KEYS, useSaveSetting, useSetting, type SettingKey } from '../api.js';
import { CalendarSchedules, ScheduleWarning } from '../components/CalendarSchedules.js';

export function SlaSettingsPage() {
  const { t } = useI18n();
  const [key, setKey] = useState<SettingKey>('sla-policies');
  return (
    <div className="page">
      {key === 'calendars' ? null : <ScheduleWarning />}
      <Tabs
        data-testid="settings-tabs"
        activeKey={key}
        onChange={(k) => setKey(k as SettingKey)}
        destroyOnHidden
        items={SETTING_KEYS.map((k) => ({
          key: k,
          label: t(`settings.${k}` as const),
          children: (
            <>
              {k === 'calendars' ? <CalendarSchedules /> : null}
              <SettingEditor settingKey={k} />
            </>
          ),
        }))}
      />
    </div>
  );
}

function SettingEditor({ settingKey }: { settingKey: SettingKey }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const loaded = useSetting(settingKey);
  const save = useSaveSetting(settingKey);
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  // GET answers {items, …}; PUT takes the list itself.
  const original = loaded.data === undefined ? '' : JSON.stringify(listOf(loaded.data), null, 2);
  useEffect(() => setText(original), [original]);
  const id = `settings-${settingKey}`;

  const submit = async () => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      setParseError(t('settings.invalidJson', { message: err instanceof Error ? err.message : String(err) }));
      return;
    }
    setParseError(null);
    try {
      await save.mutateAsync(value);
      void message.success({ content: t('settings.saved'), key: 'settings-saved' });
    } catch {
      // Shown from save.error.
    }
  };

  return (
    <Card title={<h2 className="card-title-h">{t(`settings.${settingKey}` as const)}</h2>} loading={loaded.isLoading}>
      <Typography.Paragraph type="secondary">{t('settings.intro')}</Typography.Paragraph>
      {loaded.error ? <ProblemAlert error={loaded.error} onRetry={() => void loaded.refetch()} /> : null}
      {save.error ? <ProblemAlert error={save.error} withCode /> : null}
      {parseError ? <Alert type="error" showIcon role="alert" title={parseError} style={{ marginBottom: 12 }} /> : null}
      <label htmlFor={id} className="visually-hidden">
        {t(`settings.${settingKey}` as const)}
      </label>
      <Input.TextArea
        id={id}
        className="json-editor mono"
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={24}
        data-testid="settings-json"
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={save.isPending || text === original} onClick={() => setText(original)}>
          {t('settings.reset')}
        </Button>
        <Button type="primary" loading={save.isPending} disabled={text === original} onClick={() => void submit()} data-testid="settings-save">
          {save.isPending ? t('action.saving') : t('action.save')}
        </Button>
      </Space>
    </Card>
  );
}
