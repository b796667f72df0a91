/**
 * The lead resources of the API (issue 4): leads and their actions, the audit trail, the sales
 * settings (cadences, loss reasons), for the console (the lead report is features/reports/api.ts).
 * Their types are the server's (api/leads/schemas.ts, api/settings/schemas.ts), imported as types
 * only. Times arrive as ISO strings; money as decimal strings ("2350000.00"), never binary floats.
 */
import type { Grade, LeadOwnerRole, LeadSource, LeadStatus, ReviewDecision, TouchChannel, TouchOutcome } from '../../domain/leads/types.js';
import type {
  AssignLeadRequest,
  ConvertLeadRequest,
  CreateLeadRequest,
  Lead,
  LeadDetail,
  LeadEventPage,
  ListLeadsQuery,
  LogTouchRequest,
  MarkLeadLostRequest,
  RegradeLeadRequest,
  ReviewLostLeadRequest,
} from '../../api/leads/schemas.js';
import type { CadencePolicies, CadencePolicyInput, LossReasonInput, LossReasons } from '../../api/settings/schemas.js';
import { request, type Filters, type Page, type PageParams } from './api.js';

export type { Grade, LeadOwnerRole, LeadSource, LeadStatus, ReviewDecision, TouchChannel, TouchOutcome };
export type { CreateLeadRequest, Lead, LeadConversion, LeadDetail, LeadEvent, LeadLoss, LogTouchRequest } from '../../api/leads/schemas.js';
export type { CadencePolicy, LossReason } from '../../api/settings/schemas.js';

export type LeadFilters = Filters<ListLeadsQuery>;

const id = encodeURIComponent;

/** The human actions: each answers the lead as the workflow left it (409 when it refuses). */
const act = <B>(path: string) => (leadId: string, body: B, idempotencyKey?: string) =>
  request<Lead>('POST', `/api/leads/${id(leadId)}/${path}`, { body, ...(idempotencyKey ? { idempotencyKey } : {}) });

export const leadsApi = {
  create: (body: CreateLeadRequest, idempotencyKey: string) => request<Lead>('POST', '/api/leads', { body, idempotencyKey }),
  list: (f: LeadFilters & PageParams, signal?: AbortSignal) => request<Page<Lead>>('GET', '/api/leads', { query: { ...f }, signal }),
  get: (leadId: string, signal?: AbortSignal) => request<LeadDetail>('GET', `/api/leads/${id(leadId)}`, { signal }),
  events: (leadId: string, signal?: AbortSignal) => request<LeadEventPage>('GET', `/api/leads/${id(leadId)}/events`, { query: { pageSize: 500 }, signal }),

  touch: act<LogTouchRequest>('touches'),
  grade: act<RegradeLeadRequest>('grade'),
  assign: act<AssignLeadRequest>('assign'),
  /** Opens the lead's sale (issue 5): the unit is reserved; the API's payment method defaults to full. */
  convert: act<ConvertLeadRequest>('convert'),
  lost: act<MarkLeadLostRequest>('lost'),
  review: act<ReviewLostLeadRequest>('review'),

  cadencePolicies: (signal?: AbortSignal) => request<CadencePolicies>('GET', '/api/cadence-policies', { signal }),
  saveCadencePolicies: (body: CadencePolicyInput[]) => request<CadencePolicies>('PUT', '/api/cadence-policies', { body }),
  lossReasons: (signal?: AbortSignal) => request<LossReasons>('GET', '/api/loss-reasons', { signal }),
  saveLossReasons: (body: LossReasonInput[]) => request<LossReasons>('PUT', '/api/loss-reasons', { body }),
};
