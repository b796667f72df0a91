/**
 * A report's filters — period, project, group by — kept in the address's query string
 * (`?from=2026-11-01&to=2026-11-30&project=…&group=owner`), so a report link opens the same report
 * for whoever it is sent to, and back/forward steps through what was looked at. Dates are calendar
 * days of the project's time zone; the API gets the instants those days start (luxon).
 */
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { DownloadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Form, Segmented, Select } from 'antd';
import dayjs from 'dayjs';
import { DateTime } from 'luxon';
import { DEFAULT_TIME_ZONE } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { useOrgLookups } from '../../org/lookups.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const today = (zone: string) => DateTime.now().setZone(zone).toISODate()!;
const validDate = (v: string | null): string | null => (v && DATE.test(v) && DateTime.fromISO(v).isValid ? v : null);
/** The instant a calendar day starts in `zone`, as ISO. */
export const dayStartIso = (date: string, zone = DEFAULT_TIME_ZONE) => DateTime.fromISO(date, { zone }).startOf('day').toUTC().toISO()!;
const nextDay = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;

export interface ReportFilterState<G extends string> {
  from: string;
  to: string;
  projectId: string;
  groupBy: G;
  today: string;
  /** Whole days: `from`'s start to the start of the day after `to`, and the project when one is chosen. */
  query: { from: string; to: string; projectId?: string };
  set: (patch: Partial<{ from: string; to: string; projectId: string; groupBy: G }>) => void;
}

/** The filters read from (and written to) the query string; the period defaults to the last `days` days. */
export function useReportFilters<G extends string>(o: { days: number; groups: readonly G[]; defaultGroup: G; zone?: string }): ReportFilterState<G> {
  const zone = o.zone ?? DEFAULT_TIME_ZONE;
  const [params, setParams] = useSearchParams();
  const now = today(zone);
  const to = validDate(params.get('to')) ?? now;
  const fromParam = validDate(params.get('from'));
  const from = fromParam && fromParam <= to ? fromParam : DateTime.fromISO(to).minus({ days: o.days - 1 }).toISODate()!;
  const projectId = params.get('project') ?? '';
  const group = params.get('group');
  const groupBy = (o.groups as readonly string[]).includes(group ?? '') ? (group as G) : o.defaultGroup;
  return {
    from,
    to,
    projectId,
    groupBy,
    today: now,
    query: { from: dayStartIso(from, zone), to: dayStartIso(nextDay(to), zone), ...(projectId ? { projectId } : {}) },
    set: (patch) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          const put = (k: string, v: string | undefined, dflt?: string) => (v === undefined ? undefined : v === '' || v === dflt ? next.delete(k) : next.set(k, v));
          put('from', patch.from);
          put('to', patch.to);
          put('project', patch.projectId);
          put('group', patch.groupBy, o.defaultGroup);
          return next;
        },
        { replace: true },
      ),
  };
}

/**
 * The toolbar: from, to, project (when there is more than one), group by (when the report has
 * groupings) and the CSV download (when the report has one download; the repair report has one per table).
 */
export function ReportFilters<G extends string>(o: {
  filters: ReportFilterState<G>;
  groups: readonly { value: G; label: string }[];
  projectLabel: string;
  exporting: boolean;
  onExport?: () => void;
  exportTestId: string;
  exportLabel?: string;
  extra?: ReactNode;
}) {
  const { t } = useI18n();
  const lookups = useOrgLookups();
  const { from, to, projectId, groupBy, today: now, set } = o.filters;
  const idPrefix = o.exportTestId;
  return (
    <Form layout="inline" className="report-filters" data-testid="report-filters" component="div">
      <Form.Item label={t('sla.from')} htmlFor={`${idPrefix}-from`}>
        <DatePicker
          id={`${idPrefix}-from`}
          value={dayjs(from)}
          allowClear={false}
          disabledDate={(d) => d.format('YYYY-MM-DD') > to}
          onChange={(d) => d && set({ from: d.format('YYYY-MM-DD') })}
          data-testid="filter-from"
        />
      </Form.Item>
      <Form.Item label={t('sla.to')} htmlFor={`${idPrefix}-to`}>
        <DatePicker
          id={`${idPrefix}-to`}
          value={dayjs(to)}
          allowClear={false}
          disabledDate={(d) => d.format('YYYY-MM-DD') > now || d.format('YYYY-MM-DD') < from}
          onChange={(d) => d && set({ to: d.format('YYYY-MM-DD') })}
          data-testid="filter-to"
        />
      </Form.Item>
      {lookups.projects.length > 1 ? (
        <Form.Item label={o.projectLabel} htmlFor={`${idPrefix}-project`}>
          <Select
            id={`${idPrefix}-project`}
            data-testid="filter-project"
            showSearch={{ optionFilterProp: 'label' }}
            style={{ minWidth: 180 }}
            value={projectId}
            onChange={(v: string) => set({ projectId: v })}
            options={[{ value: '', label: t('common.all') }, ...lookups.projects.map((p) => ({ value: p.id, label: p.name }))]}
          />
        </Form.Item>
      ) : null}
      {o.groups.length > 0 ? (
        <Form.Item label={t('report.groupBy')}>
          <Segmented<G>
            data-testid="group-by"
            value={groupBy}
            onChange={(v) => set({ groupBy: v })}
            options={o.groups.map((g) => ({ value: g.value, label: <span data-group={g.value}>{g.label}</span> }))}
          />
        </Form.Item>
      ) : null}
      {o.onExport || o.extra ? (
        <Flex gap={8} className="report-filters-actions">
          {o.extra}
          {o.onExport ? (
            <Button icon={<DownloadOutlined />} data-testid={o.exportTestId} onClick={o.onExport} loading={o.exporting}>
              {o.exportLabel ?? t('sla.export')}
            </Button>
          ) : null}
        </Flex>
      ) : null}
    </Form>
  );
}
