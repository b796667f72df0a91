/**
 * 节假日安排 (administrators, on the calendars tab of the SLA settings): per calendar whether it
 * follows the State Council's schedule and which years it knows, next year's status, and an ICS
 * import (a file, or a feed the server reads once) into a calendar's own days. The import is checked
 * with the server's CalendarImportBody before it is sent; what the server refuses (not iCalendar, no
 * all-day events, a feed it cannot read) lands under its field in the user's language.
 * ScheduleWarning is the banner admins see, from 1 November, when a calendar in use lacks next year.
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Segmented, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { Controller } from 'react-hook-form';
import { CalendarImportBody } from '../../../../../api/settings/schemas.js';
import type { FieldError } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useCalendars, useImportCalendarDays, useScheduleCoverage } from '../api.js';
import '../calendars-i18n.js';

const ICS_MAX_BYTES = 240_000;
/** Solid tag colours dark enough for white text (antd's pale green preset is 3.4:1), as shared/StatusTag's. */
const AA = { done: '#237804', alert: '#a8071a' } as const;

/** "2020–2026" for consecutive years, else a list. */
function yearSpan(years: readonly number[]): string {
  if (years.length === 0) return '';
  const consecutive = years.every((y, i) => i === 0 || y === years[i - 1]! + 1);
  return consecutive && years.length > 2 ? `${years[0]}–${years[years.length - 1]}` : years.join(', ');
}

/** The banner: nothing unless a calendar in use lacks next year's holidays (from 1 November). */
export function ScheduleWarning({ linkToSettings = false }: { linkToSettings?: boolean }) {
  const { t } = useI18n();
  const coverage = useScheduleCoverage();
  const calendars = useCalendars();
  const missing = (coverage.data?.items ?? []).filter((c) => c.warn);
  if (missing.length === 0) return null;
  const nameOf = (id: string) => calendars.data?.find((c) => c.id === id)?.name ?? id;
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      data-testid="schedule-warning"
      style={{ marginBottom: 16 }}
      title={t('schedules.warningTitle', { count: missing.length })}
      description={
        <Space direction="vertical" size={4}>
          {missing.map((c) => (
            <span key={c.calendarId}>{t('schedules.warning', { calendar: nameOf(c.calendarId), year: c.nextYear })}</span>
          ))}
          {linkToSettings ? <Link to="/settings/sla">{t('schedules.open')}</Link> : null}
        </Space>
      }
    />
  );
}

export function CalendarSchedules() {
  const { t } = useI18n();
  const calendars = useCalendars();
  const coverage = useScheduleCoverage();
  const byId = new Map((coverage.data?.items ?? []).map((c) => [c.calendarId, c] as const));
  const rows = (calendars.data ?? []).map((c) => ({ calendar: c, coverage: byId.get(c.id) }));

  return (
    <Card title={<h2 className="card-title-h">{t('schedules.title')}</h2>} loading={calendars.isLoading || coverage.isLoading} style={{ marginBottom: 16 }} data-testid="calendar-schedules">
      <Typography.Paragraph type="secondary">{t('schedules.intro')}</Typography.Paragraph>
      <ScheduleWarning />
      {coverage.error ? <ProblemAlert error={coverage.error} onRetry={() => void coverage.refetch()} /> : null}
      <Table
        size="small"
        rowKey={(r) => r.calendar.id}
        pagination={false}
        scroll={{ x: true }}
        dataSource={rows}
        data-testid="schedule-table"
        columns={[
          {
            key: 'name',
            title: t('schedules.calendar'),
            render: (_, r) => (
              <Space size={4} wrap>
                <span>{r.calendar.name}</span>
                {r.coverage?.inUse ? <Tag color="blue">{t('schedules.inUse')}</Tag> : null}
              </Space>
            ),
          },
          { key: 'follows', title: t('schedules.follows'), render: (_, r) => (r.calendar.publicHolidays ? t('schedules.followsYes') : t('schedules.followsNo')) },
          { key: 'years', title: t('schedules.years'), render: (_, r) => yearSpan(r.coverage?.years ?? []) || <span className="muted">{t('schedules.noYears')}</span> },
          {
            key: 'next',
            title: r0(t, coverage.data?.items[0]?.nextYear),
            render: (_, r) =>
              !r.coverage || r.coverage.years.length === 0 ? (
                <span className="muted">{t('schedules.notNeeded')}</span>
              ) : r.coverage.nextYearCovered ? (
                <Tag color={AA.done} data-testid={`next-year-${r.calendar.id}`}>
                  {t('schedules.covered')}
                </Tag>
              ) : (
                <Tag color={r.coverage.warn ? AA.alert : undefined} data-testid={`next-year-${r.calendar.id}`}>
                  {t('schedules.missing')}
                </Tag>
              ),
          },
        ]}
      />
      <ImportForm calendars={(calendars.data ?? []).map((c) => ({ id: c.id, name: c.name }))} />
    </Card>
  );
}

/** The next year's column title ("2027 年" / "2027"). */
const r0 = (t: ReturnType<typeof useI18n>['t'], year: number | undefined) => (year ? t('schedules.nextYear', { year }) : '');

function ImportForm({ calendars }: { calendars: Array<{ id: string; name: string }> }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const importDays = useImportCalendarDays();
  const [calendarId, setCalendarId] = useState<string | undefined>(undefined);
  const [source, setSource] = useState<'file' | 'url'>('file');
  const [fileName, setFileName] = useState<string | null>(null);
  const [rest, setRest] = useState<FieldError[]>([]);
  const form = useSchemaForm(CalendarImportBody, { defaultValues: {} });
  const { control, handleSubmit, setValue, setError, clearErrors } = form;
  const target = calendarId ?? calendars[0]?.id;

  const readFile = async (file: File) => {
    clearErrors('ics');
    if (file.size > ICS_MAX_BYTES) {
      setFileName(null);
      setValue('ics', undefined);
      setError('ics', { type: 'TOO_LARGE', message: t('schedules.fileTooLarge') });
      return false;
    }
    setFileName(`${file.name}|${Math.ceil(file.size / 1000)}`);
    setValue('ics', await file.text(), { shouldValidate: true });
    return false; // read here, never uploaded by antd
  };

  const submit = handleSubmit(async (body) => {
    if (!target) return;
    setRest([]);
    try {
      const result = await importDays.mutateAsync({ calendarId: target, body });
      const name = calendars.find((c) => c.id === target)?.name ?? target;
      void message.success({
        content: (
          <span data-testid="import-result">
            {t('schedules.imported', { calendar: name, holidays: result.imported.holidays, workdays: result.imported.makeUpWorkdays, skipped: result.imported.skipped })}
          </span>
        ),
        key: 'calendar-import',
        duration: 8,
      });
      setFileName(null);
      form.reset({});
    } catch (err) {
      setRest(applyProblem(form, lang, err, ['ics', 'url']));
    }
  });

  const onFinish = () => {
    // Which of the two the schema needs is the source chosen: say so in words before sending.
    const values = form.getValues();
    if (source === 'file' && !values.ics) return setError('ics', { type: 'REQUIRED', message: t('schedules.fileRequired') });
    if (source === 'url' && !values.url) return setError('url', { type: 'REQUIRED', message: t('schedules.urlRequired') });
    void submit();
  };

  const [chosenName, chosenSize] = fileName?.split('|') ?? [];
  return (
    <Form component="form" layout="vertical" noValidate onFinish={onFinish} data-testid="calendar-import" style={{ marginTop: 16, maxWidth: 560 }}>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {t('schedules.import')}
      </Typography.Title>
      {importDays.error && (rest.length > 0 || !(form.formState.errors.ics || form.formState.errors.url)) ? <ProblemAlert error={importDays.error} extraErrors={rest} /> : null}
      <Form.Item label={t('schedules.importInto')} htmlFor="import-calendar">
        <Select id="import-calendar" value={target} onChange={setCalendarId} options={calendars.map((c) => ({ value: c.id, label: c.name }))} data-testid="import-calendar" />
      </Form.Item>
      <Form.Item label={t('schedules.source')}>
        <Segmented
          value={source}
          onChange={(v) => {
            setSource(v as 'file' | 'url');
            setValue(v === 'file' ? 'url' : 'ics', undefined);
            clearErrors();
          }}
          options={[
            { value: 'file', label: t('schedules.sourceFile') },
            { value: 'url', label: t('schedules.sourceUrl') },
          ]}
          data-testid="import-source"
        />
      </Form.Item>
      {source === 'file' ? (
        <FieldRow form={form} name="ics" label={t('schedules.file')} required hint={t('schedules.fileHint')}>
          <Upload accept=".ics,text/calendar" maxCount={1} showUploadList={false} beforeUpload={(f) => readFile(f)}>
            <Button id="ics" data-testid="import-file">
              {t('schedules.chooseFile')}
            </Button>
          </Upload>
          {chosenName ? (
            <div className="muted" data-testid="import-file-name" style={{ marginTop: 4 }}>
              {t('schedules.fileChosen', { name: chosenName, size: chosenSize ?? '' })}
            </div>
          ) : null}
        </FieldRow>
      ) : (
        <FieldRow form={form} name="url" label={t('schedules.url')} required hint={t('schedules.urlHint')}>
          <Controller
            control={control}
            name="url"
            render={({ field }) => <Input {...field} value={field.value ?? ''} id="url" inputMode="url" placeholder="https://" maxLength={2000} data-testid="import-url" />}
          />
        </FieldRow>
      )}
      <Button type="primary" htmlType="submit" loading={importDays.isPending} data-testid="import-submit">
        {importDays.isPending ? t('schedules.importing') : t('schedules.import')}
      </Button>
    </Form>
  );
}
