/**
 * The reports' server state on TanStack Query: the SLA report (by a group, and by period for the
 * trend), the breach list, the lead and sales reports, and their CSV downloads. Answers carry
 * group labels in the user's language (the API reads Accept-Language, which `request` sends), so
 * the language is part of every key; CSVs come back in that language too.
 */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type {
  LeadGroupBy,
  LeadReport,
  RepairReport,
  SalesGroupBy,
  SalesReport,
  SlaBreachedCase,
  SlaGroupBy,
  SlaReport,
} from '../../../../api/reports/schemas.js';
import { request, type Page } from '../../api.js';
import { useI18n } from '../../i18n.js';
import { downloadBlob } from '../../shared/download.js';

export type { ChargeBackRow, ContractorRatingRow, DefectRow, FirstTimeFixRow, RepairReport, RepairReportTable, RepeatRepair } from '../../../../api/reports/schemas.js';
export type { LeadGroupBy, LeadReport, LeadReportRow, SalesGroupBy, SalesReport, SalesReportRow, SlaBreachedCase, SlaCaseBreach, SlaGroupBy, SlaReport, SlaReportRow, TargetCounts } from '../../../../api/reports/schemas.js';

export interface Period {
  from: string;
  to: string;
  projectId?: string;
}

/** The SLA dashboard's groupings (the periods are the trend's). */
export const SLA_GROUPS = ['tier', 'category', 'project', 'assignee'] as const satisfies readonly SlaGroupBy[];
export const LEAD_GROUPS = ['source', 'grade', 'owner', 'project'] as const satisfies readonly LeadGroupBy[];
export const SALE_GROUPS = ['stage', 'project', 'owner'] as const satisfies readonly SalesGroupBy[];

const SLA = '/api/reports/sla';
const query = (q: object) => ({ ...(q as Record<string, string | number | undefined>) });

export function useSlaReport(q: Period & { groupBy: SlaGroupBy; timeZone: string }) {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['reports', 'sla', lang, q],
    queryFn: ({ signal }) => request<SlaReport>('GET', SLA, { query: query(q), signal }),
    placeholderData: keepPreviousData,
  });
}

/** The cases that breached in the period, one entry per case with its breaches (latest first). */
export function useSlaBreachedCases(q: Period & { timeZone: string; page: number; pageSize: number }) {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['reports', 'sla-breached-cases', lang, q],
    queryFn: ({ signal }) => request<Page<SlaBreachedCase>>('GET', `${SLA}/breached-cases`, { query: query(q), signal }),
    placeholderData: keepPreviousData,
  });
}

export function useLeadReport(q: Period & { groupBy: LeadGroupBy }) {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['reports', 'leads', lang, q],
    queryFn: ({ signal }) => request<LeadReport>('GET', '/api/reports/leads', { query: query(q), signal }),
    placeholderData: keepPreviousData,
  });
}

export function useSalesReport(q: Period & { groupBy: SalesGroupBy }) {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['reports', 'sales', lang, q],
    queryFn: ({ signal }) => request<SalesReport>('GET', '/api/reports/sales', { query: query(q), signal }),
    placeholderData: keepPreviousData,
  });
}

/** The repair report: every table in one answer (first-time fix, repeats, defects, charge-backs, contractor ratings). */
export function useRepairReport(q: Period) {
  const { lang } = useI18n();
  return useQuery({
    queryKey: ['reports', 'repairs', lang, q],
    queryFn: ({ signal }) => request<RepairReport>('GET', '/api/reports/repairs', { query: query(q), signal }),
    placeholderData: keepPreviousData,
  });
}

type CsvPath = '/api/reports/sla' | '/api/reports/sla/breaches' | '/api/reports/sla/breached-cases' | '/api/reports/leads' | '/api/reports/sales' | '/api/reports/repairs';

/** A report as CSV, in the user's language (Accept-Language), saved under `filename`. */
export function downloadCsv(path: CsvPath, q: object, filename: string): Promise<void> {
  return downloadBlob(request<Blob>('GET', path, { query: query(q), accept: 'text/csv' }), filename);
}

/**
 * A report's CSV download as a mutation: `isPending` while it runs (`variables.path` says which
 * one), `error` when it failed, cleared by the next attempt.
 */
export function useCsvDownload() {
  return useMutation({ mutationFn: (d: { path: CsvPath; query: object; filename: string }) => downloadCsv(d.path, d.query, d.filename) });
}
