/**
 * The sales feature's server state on TanStack Query: the sale lists, a sale with its timeline, the
 * approval queue, a project's units and the sales staff, and every action on a sale as a mutation
 * that refreshes what it changed. Keys start with 'sales'. The requests themselves are
 * `salesApi` (console/src/sales-api.ts, typed by the server's schemas), shared with the settings and
 * project pages.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { hasPermission } from '../../../../domain/access.js';
import { api, uuid, type PageParams, type Unit, type User } from '../../api.js';
import { salesApi, type CreateSaleRequest, type Sale, type SaleFilters } from '../../sales-api.js';

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
