/**
 * The sales feature's server state: the sales resources of the API (sales and their actions, the
 * approval queue, the audit trail; the sales report is features/reports/api.ts) as `salesApi`, and
 * TanStack Query hooks over them — the sale lists, a sale with its timeline, the approval queue, a
 * project's units and the sales staff, and every action on a sale as a mutation that refreshes what
 * it changed. Keys start with 'sales'. Types are the server's (api/sales/schemas.ts), imported as
 * types only. Times arrive as ISO strings; money as decimal strings ("2350000.00"), never binary
 * floats.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { hasPermission } from '../../../../domain/access.js';
import type { ApprovalKind, MortgageEvent, PaymentMethod, SaleStage } from '../../../../domain/sales/types.js';
import type { DeadlineKind } from '../../../../workflows/sales/sale-lifecycle.defs.js';
import type {
  ChangePaymentMethodRequest,
  CreateSaleRequest,
  DecideSaleApprovalRequest,
  ListSalesQuery,
  RecordFilingRequest,
  RecordHandoverRequest,
  RecordInspectionRequest,
  RecordMortgageEventRequest,
  RecordPaymentRequest,
  RequestCancellationRequest,
  RequestRenameRequest,
  RequestUnitChangeRequest,
  Sale,
  SaleEventPage,
  SaleSummary,
  SignContractRequest,
} from '../../../../api/sales/schemas.js';
import { api, request, uuid, type Filters, type Page, type PageParams, type Unit, type User } from '../../api.js';

export type { ApprovalKind, DeadlineKind, MortgageEvent, PaymentMethod, SaleStage };
export type { CreateSaleRequest, Sale, SaleApproval, SaleDefect, SaleDeadline, SaleEvent, SaleEventPage, SaleSummary } from '../../../../api/sales/schemas.js';

/** The steps with a deadline, in the order a sale meets them (the workflow's DEADLINE_KINDS). */
export const DEADLINE_ORDER = ['contract', 'filing', 'mortgage_documents', 'bank_decision', 'disbursement', 'full_payment'] as const satisfies readonly DeadlineKind[];

export type SaleFilters = Filters<ListSalesQuery>;
export type MortgageStatus = NonNullable<Sale['mortgage']>['status'];

const id = encodeURIComponent;

/** The human actions: each answers the sale as the workflow left it (409 with a code when it refuses). */
const act = <B>(path: string) => (saleId: string, body: B) => request<Sale>('POST', `/api/sales/${id(saleId)}/${path}`, { body });

export const salesApi = {
  create: (body: CreateSaleRequest, idempotencyKey: string) => request<Sale>('POST', '/api/sales', { body, idempotencyKey }),
  list: (f: SaleFilters & PageParams, signal?: AbortSignal) => request<Page<SaleSummary>>('GET', '/api/sales', { query: { ...f }, signal }),
  get: (saleId: string, signal?: AbortSignal) => request<Sale>('GET', `/api/sales/${id(saleId)}`, { signal }),
  events: (saleId: string, signal?: AbortSignal) => request<SaleEventPage>('GET', `/api/sales/${id(saleId)}/events`, { query: { pageSize: 200 }, signal }),

  contract: act<SignContractRequest>('contract'),
  filing: act<RecordFilingRequest>('filing'),
  payment: act<RecordPaymentRequest>('payments'),
  mortgage: act<RecordMortgageEventRequest>('mortgage'),
  paymentMethod: act<ChangePaymentMethodRequest>('payment-method'),
  inspection: act<RecordInspectionRequest>('inspection'),
  handover: act<RecordHandoverRequest>('handover'),
  cancel: act<RequestCancellationRequest>('cancel'),
  changeUnit: act<RequestUnitChangeRequest>('change-unit'),
  rename: act<RequestRenameRequest>('rename'),
  decide: (saleId: string, approvalId: string, body: DecideSaleApprovalRequest) =>
    request<Sale>('POST', `/api/sales/${id(saleId)}/approvals/${id(approvalId)}`, { body }),
};

export const salesKeys = {
  all: ['sales'] as const,
  lists: () => ['sales', 'list'] as const,
  list: (f: SaleFilters & PageParams) => ['sales', 'list', f] as const,
  approvals: (p: PageParams) => ['sales', 'list', 'approvals', p] as const,
  detail: (id: string) => ['sales', 'detail', id] as const,
  events: (id: string) => ['sales', 'events', id] as const,
  units: (projectId: string) => ['sales', 'units', projectId] as const,
  staff: () => ['sales', 'staff'] as const,
};

/** Lists refresh by themselves so new sales, steps and decisions show up without a click. */
export function useSaleList(f: SaleFilters & PageParams, refetchInterval = 20_000) {
  return useQuery({
    queryKey: salesKeys.list(f),
    queryFn: ({ signal }) => salesApi.list(f, signal),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

/** Sales waiting for a sales manager's decision (cancellation, unit change, rename). */
export function usePendingApprovals(p: PageParams) {
  return useQuery({
    queryKey: salesKeys.approvals(p),
    queryFn: ({ signal }) => salesApi.list({ pendingApproval: 'true', ...p }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
}

/** A sale as the read model and workflow know it; timers fire in the workflow, so it refreshes. */
export function useSale(id: string, refetchInterval: number | false = 10_000) {
  return useQuery({ queryKey: salesKeys.detail(id), queryFn: ({ signal }) => salesApi.get(id, signal), refetchInterval });
}

export function useSaleEvents(id: string) {
  return useQuery({ queryKey: salesKeys.events(id), queryFn: ({ signal }) => salesApi.events(id, signal), refetchInterval: 10_000 });
}

/** Every unit of a project (the API pages by 200), for the unit pickers and unit names. */
export function useProjectUnits(projectId: string | undefined) {
  return useQuery({
    queryKey: salesKeys.units(projectId ?? ''),
    enabled: Boolean(projectId),
    staleTime: 60_000,
    queryFn: async ({ signal }): Promise<Unit[]> => {
      const out: Unit[] = [];
      for (let page = 1; page <= 10; page++) {
        const p = await api.units(projectId!, { page, pageSize: 200 }, signal);
        out.push(...p.items);
        if (out.length >= p.total || p.items.length === 0) break;
      }
      return out;
    },
  });
}

/**
 * A project's units still for sale, asked afresh whenever a form opens (a unit reserved a minute
 * ago must not be offered); the server refuses a reserved one anyway.
 */
export function useAvailableUnits(projectId: string | undefined) {
  return useQuery({
    queryKey: [...salesKeys.units(projectId ?? ''), 'available'],
    enabled: Boolean(projectId),
    staleTime: 0,
    queryFn: async ({ signal }): Promise<Unit[]> => {
      const out: Unit[] = [];
      for (let page = 1; page <= 10; page++) {
        const p = await api.units(projectId!, { status: 'AVAILABLE', page, pageSize: 200 }, signal);
        out.push(...p.items);
        if (out.length >= p.total || p.items.length === 0) break;
      }
      return out;
    },
  });
}

const SALES_ROLES = ['SALES', 'SALES_MANAGER'] as const;

/** The active sales staff the caller may read (owners' and requesters' names); empty without users:read. */
export function useSalesStaffQuery(user: User) {
  const canRead = hasPermission(user.role, 'users:read');
  return useQuery({
    queryKey: salesKeys.staff(),
    enabled: canRead,
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }): Promise<User[]> => {
      const pages = await Promise.all(SALES_ROLES.map((role) => api.users({ role, page: 1, pageSize: 200 }, signal)));
      return pages.flatMap((p) => p.items).filter((u) => u.active);
    },
  });
}

export function useCreateSale() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: CreateSaleRequest; key: string }) => salesApi.create(body, key),
    onSuccess: (sale) => {
      qc.setQueryData(salesKeys.detail(sale.id), sale);
      void qc.invalidateQueries({ queryKey: salesKeys.lists() });
      void qc.invalidateQueries({ queryKey: salesKeys.units(sale.project.id) });
    },
  });
}

/**
 * After an action on a sale: its answer (the sale as the workflow left it) shows at once, then the
 * sale, its timeline and every list are refetched. Audit rows are written by activities just after
 * the update, so the timeline is asked again shortly after.
 */
export function refreshSale(qc: QueryClient, id: string, answer?: Sale): void {
  if (answer) qc.setQueryData(salesKeys.detail(id), answer);
  void qc.invalidateQueries({ queryKey: salesKeys.detail(id) });
  void qc.invalidateQueries({ queryKey: salesKeys.events(id) });
  void qc.invalidateQueries({ queryKey: salesKeys.lists() });
  for (const ms of [800, 2500]) window.setTimeout(() => void qc.invalidateQueries({ queryKey: salesKeys.events(id) }), ms);
}

/** An action on a sale (contract, payment, cancellation request, decision …): answers the sale. */
export function useSaleAction<V>(saleId: string, call: (vars: V) => Promise<Sale>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (sale) => refreshSale(qc, saleId, sale),
  });
}

export { uuid };
