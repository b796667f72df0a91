import { useId, useState } from 'react';
import { useI18n } from './i18n.js';
import { Icon } from './icons.js';
import { calendarDate, nextCalendarDate, startOfDay } from './lead-ui.js';
import { useOrgLookups } from './lookups.js';

const DAY = 86_400_000;

/**
 * The date window and project filter of a report page: what the form shows (`draft`), what was
 * applied (the report reads that), and the API query of the applied window (whole days, the last
 * one included). The window starts as the last `days` days, today included.
 */
export function useReportFilters(days: number) {
  const today = calendarDate(Date.now());
  const [from, setFrom] = useState(calendarDate(Date.now() - (days - 1) * DAY));
  const [to, setTo] = useState(today);
  const [projectId, setProjectId] = useState('');
  const [applied, setApplied] = useState({ from, to, projectId });
  return {
    draft: { from, to, projectId, today, setFrom, setTo, setProjectId },
    applied,
    apply: () => setApplied({ from, to, projectId }),
    query: {
      from: startOfDay(applied.from),
      to: startOfDay(nextCalendarDate(applied.to)),
      ...(applied.projectId ? { projectId: applied.projectId } : {}),
    },
  };
}

/** The report toolbar: from, to, project (when there is more than one), apply, and the CSV export. */
export function ReportFilters(o: {
  filters: ReturnType<typeof useReportFilters>;
  projectLabel: string;
  loading: boolean;
  exporting: boolean;
  onExport: () => void;
  exportTestId: string;
}) {
  const { t } = useI18n();
  const lookups = useOrgLookups();
  const ids = { from: useId(), to: useId(), project: useId() };
  const { from, to, projectId, today, setFrom, setTo, setProjectId } = o.filters.draft;
  return (
    <form
      className="toolbar dashboard-filters"
      onSubmit={(e) => {
        e.preventDefault();
        o.filters.apply();
      }}
    >
      <div className="inline-field">
        <label htmlFor={ids.from}>{t('sla.from')}</label>
        <input id={ids.from} name="from" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="inline-field">
        <label htmlFor={ids.to}>{t('sla.to')}</label>
        <input id={ids.to} name="to" type="date" value={to} min={from} max={today} onChange={(e) => setTo(e.target.value)} />
      </div>
      {lookups.projects.length > 1 ? (
        <div className="inline-field">
          <label htmlFor={ids.project}>{o.projectLabel}</label>
          <select id={ids.project} name="projectId" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {lookups.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <button type="submit" className="btn" data-testid="report-apply">
        {t('sla.apply')}
      </button>
      {o.loading ? <span className="spinner spinner-inline" role="status" aria-label={t('app.loading')} /> : null}
      <span className="toolbar-spacer" />
      <button type="button" className="btn" data-testid={o.exportTestId} onClick={o.onExport} disabled={o.exporting}>
        {o.exporting ? <span className="spinner spinner-inline" aria-hidden="true" /> : <Icon name="download" size={16} />} {t('sla.export')}
      </button>
    </form>
  );
}
