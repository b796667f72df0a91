/**
 * The administration feature's server state on TanStack Query: the outbox, the record-view log
 * (and its CSV), the SLA settings (policies, calendars, categories) and the sales settings
 * (cadences, loss reasons, the sales lifecycle's deadlines) and the warranty settings. Keys start with 'admin'; a save
 * refreshes the setting it wrote.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Email, ListEmailsQuery } from '../../../../api/outbox/schemas.js';
import type { RecordKind, RecordView, RecordViewsQuery } from '../../../../api/record-views/schemas.js';
import type {
  BusinessCalendarDoc,
  CalendarImportInput,
  CalendarImportResult,
  CalendarScheduleCoverage,
  CadencePolicies,
  CadencePolicyInput,
  LossReasonInput,
  LossReasons,
  SalesPolicy,
  SalesPolicyInput,
  SalesPolicySettings,
} from '../../../../api/settings/schemas.js';
import type { WarrantySettingsDoc, WarrantySettingsView } from '../../../../api/warranty/schemas.js';
import type { z } from 'zod';
import { api, membersOf, request, type Filters, type Page, type PageParams } from '../../api.js';

/** The warranty settings as the API answers them (the saved document, every part filled in, and the defaults). */
export type WarrantySettingsAnswer = z.output<typeof WarrantySettingsView>;
export type WarrantySettings = WarrantySettingsAnswer['settings'];
/** The document a PUT sends (parts may be left out: they take the defaults). */
export type WarrantySettingsInput = z.input<typeof WarrantySettingsDoc>;

export type { CadencePolicy, LossReason, SalesPolicy } from '../../../../api/settings/schemas.js';
export type { RecordKind, RecordView };
export type OutboxFilters = Filters<ListEmailsQuery>;
export type RecordViewFilters = Filters<RecordViewsQuery>;

export const RECORD_KINDS = membersOf<RecordKind>({ customer: true, case: true, lead: true, sale: true, 'workflow-payloads': true });

export const SETTING_KEYS = ['sla-policies', 'calendars', 'categories'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/**
 * The sales policy's fields in the order a sale meets them. A Record, so a field added to
 * SalesPolicy fails the typecheck here until the settings page knows it.
 */
const SALES_POLICY_FIELD_SET: Record<keyof SalesPolicy, true> = {
  contractWithin: true,
  filingWithin: true,
  mortgageDocumentsWithin: true,
  bankDecisionWithin: true,
  disbursementWithin: true,
  fullPaymentWithin: true,
  remindBefore: true,
  inspectionBeforeDelivery: true,
  progressEvery: true,
  defectResolution: true,
};
export const SALES_POLICY_FIELDS = Object.keys(SALES_POLICY_FIELD_SET) as Array<keyof SalesPolicy>;

export const adminKeys = {
  all: ['admin'] as const,
  outbox: (p: PageParams & OutboxFilters) => ['admin', 'outbox', p] as const,
  recordViews: (p: PageParams & RecordViewFilters) => ['admin', 'record-views', p] as const,
  staff: () => ['admin', 'staff'] as const,
  setting: (key: SettingKey) => ['admin', 'setting', key] as const,
  cadences: () => ['admin', 'cadence-policies'] as const,
  lossReasons: () => ['admin', 'loss-reasons'] as const,
  salesPolicy: () => ['admin', 'sales-policy'] as const,
  scheduleCoverage: () => ['admin', 'schedule-coverage'] as const,
  warrantySettings: () => ['admin', 'warranty-settings'] as const,
};

export function useOutbox(p: PageParams & OutboxFilters) {
  return useQuery({
    queryKey: adminKeys.outbox(p),
    queryFn: ({ signal }) => request<Page<Email>>('GET', '/api/outbox', { query: { ...p }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRecordViews(p: PageParams & RecordViewFilters) {
  return useQuery({
    queryKey: adminKeys.recordViews(p),
    queryFn: ({ signal }) => request<Page<RecordView>>('GET', '/api/record-views', { query: { ...p }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** The log as CSV, for a download. */
export const recordViewsCsv = (f: RecordViewFilters) => request<Blob>('GET', '/api/record-views', { query: { ...f }, accept: 'text/csv' });

/** Staff of the reader's scope (first 200), for the viewer filter (users:read, which every reader of the log holds). */
export function useStaff() {
  return useQuery({ queryKey: adminKeys.staff(), queryFn: async ({ signal }) => (await api.users({ page: 1, pageSize: 200 }, signal)).items, staleTime: 5 * 60_000 });
}

/** `[...]` or `{items: [...]}` → the list. */
export function listOf<T>(v: unknown): T[] {
  if (Array.isArray(v)) return v as T[];
  if (typeof v === 'object' && v !== null && Array.isArray((v as { items?: unknown }).items)) return (v as { items: T[] }).items;
  return [];
}

export function useSetting(key: SettingKey) {
  return useQuery({ queryKey: adminKeys.setting(key), queryFn: ({ signal }) => request<unknown>('GET', `/api/${key}`, { signal }), staleTime: Infinity });
}

/** Saves a setting (PUT takes the list itself); the categories also feed the cases feature's pickers. */
export function useSaveSetting(key: SettingKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => request<unknown>('PUT', `/api/${key}`, { body }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: adminKeys.setting(key) });
      if (key === 'categories') await qc.invalidateQueries({ queryKey: ['cases', 'categories'] });
      if (key === 'calendars' || key === 'sla-policies') await qc.invalidateQueries({ queryKey: adminKeys.scheduleCoverage() });
    },
  });
}

export function useCadencePolicies() {
  return useQuery({ queryKey: adminKeys.cadences(), queryFn: ({ signal }) => request<CadencePolicies>('GET', '/api/cadence-policies', { signal }), staleTime: Infinity });
}

export function useSaveCadencePolicies() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CadencePolicyInput[]) => request<CadencePolicies>('PUT', '/api/cadence-policies', { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.cadences() }),
  });
}

export function useLossReasons() {
  return useQuery({ queryKey: adminKeys.lossReasons(), queryFn: ({ signal }) => request<LossReasons>('GET', '/api/loss-reasons', { signal }), staleTime: Infinity });
}

export function useSaveLossReasons() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LossReasonInput[]) => request<LossReasons>('PUT', '/api/loss-reasons', { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.lossReasons() }),
  });
}

export function useSalesPolicy() {
  return useQuery({ queryKey: adminKeys.salesPolicy(), queryFn: ({ signal }) => request<SalesPolicySettings>('GET', '/api/sales-policy', { signal }), staleTime: Infinity });
}

export function useSaveSalesPolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SalesPolicyInput) => request<SalesPolicySettings>('PUT', '/api/sales-policy', { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.salesPolicy() }),
  });
}

/** The group's calendars (as saved, with the schedule they follow). */
export function useCalendars() {
  return useQuery({ queryKey: adminKeys.setting('calendars'), queryFn: ({ signal }) => request<unknown>('GET', '/api/calendars', { signal }), staleTime: Infinity, select: (v) => listOf<BusinessCalendarDoc>(v) });
}

/** Whether each calendar knows next year's holidays; `enabled` false for people who may not read settings. */
export function useScheduleCoverage(enabled = true) {
  return useQuery({
    queryKey: adminKeys.scheduleCoverage(),
    queryFn: ({ signal }) => request<CalendarScheduleCoverage>('GET', '/api/calendars/schedule-coverage', { signal }),
    enabled,
    staleTime: 10 * 60_000,
  });
}

/** Imports an ICS file's text or a feed into a calendar; refreshes the calendars and their coverage. */
export function useImportCalendarDays() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ calendarId, body }: { calendarId: string; body: CalendarImportInput }) =>
      request<CalendarImportResult>('POST', `/api/calendars/${encodeURIComponent(calendarId)}/import`, { body }),
    onSuccess: async () => {
      await Promise.all([qc.invalidateQueries({ queryKey: adminKeys.setting('calendars') }), qc.invalidateQueries({ queryKey: adminKeys.scheduleCoverage() })]);
    },
  });
}

/** The group's warranty settings (settings:read). */
export function useWarrantySettings() {
  return useQuery({ queryKey: adminKeys.warrantySettings(), queryFn: ({ signal }) => request<WarrantySettingsAnswer>('GET', '/api/warranty-settings', { signal }), staleTime: Infinity });
}

/** Replaces the whole document (PUT, like every settings document: no idempotency key, a replay writes the same). */
export function useSaveWarrantySettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: WarrantySettingsInput) => request<WarrantySettingsAnswer>('PUT', '/api/warranty-settings', { body }),
    onSuccess: (answer) => qc.setQueryData(adminKeys.warrantySettings(), answer),
  });
}
