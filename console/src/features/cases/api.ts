/**
 * The cases feature's server state on TanStack Query: the queue and my cases, a case with its audit
 * trail, the caller's screen-pop, a project's units, the category tree, escalations, and every
 * action on a case as a mutation that refreshes what it changed. Keys start with 'cases'.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { DEFAULT_CATEGORIES, type Category } from '../../../../domain/cases/categories.js';
import { parsePhone } from '../../../../domain/customers/phone.js';
import type { CustomerLookup } from '../../../../api/customers/records-schemas.js';
import { api, request, uuid, type PageParams, type Project, type Unit } from '../../api.js';
import { casesApi, type CaseDetail, type CaseFilters, type OpenCaseRequest } from '../../cases-api.js';

export const casesKeys = {
  all: ['cases'] as const,
  lists: () => ['cases', 'list'] as const,
  list: (f: CaseFilters & PageParams) => ['cases', 'list', f] as const,
  detail: (id: string) => ['cases', 'detail', id] as const,
  events: (id: string) => ['cases', 'events', id] as const,
  lookup: (phone: string) => ['cases', 'lookup', phone] as const,
  units: (projectId: string) => ['cases', 'units', projectId] as const,
  projects: () => ['cases', 'projects'] as const,
  categories: () => ['cases', 'categories'] as const,
  escalations: () => ['cases', 'escalations'] as const,
};

export function useCaseList(f: CaseFilters & PageParams, refetchInterval = 20_000) {
  return useQuery({
    queryKey: casesKeys.list(f),
    queryFn: async ({ signal }) => ({ page: await casesApi.list(f, signal), loadedAt: Date.now() }),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

export function useCase(id: string) {
  return useQuery({
    queryKey: casesKeys.detail(id),
    queryFn: async ({ signal }) => ({ c: await casesApi.get(id, signal), loadedAt: Date.now() }),
    refetchInterval: 10_000,
  });
}

export function useCaseEvents(id: string) {
  return useQuery({ queryKey: casesKeys.events(id), queryFn: ({ signal }) => casesApi.events(id, signal), refetchInterval: 10_000 });
}

/** The projects the user may open cases in (first 200). */
export function useProjects() {
  return useQuery({
    queryKey: casesKeys.projects(),
    queryFn: async ({ signal }): Promise<Project[]> => (await api.projects({ page: 1, pageSize: 200 }, signal)).items,
    staleTime: 5 * 60_000,
  });
}

/** Every unit of a project (the API pages by 200). */
export function useUnits(projectId: string | undefined) {
  return useQuery({
    queryKey: casesKeys.units(projectId ?? ''),
    enabled: Boolean(projectId),
    staleTime: 5 * 60_000,
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

/** The group's category tree, the built-in default until it has loaded. */
export function useCategoryTree(): readonly Category[] {
  const q = useQuery({
    queryKey: casesKeys.categories(),
    queryFn: ({ signal }) => casesApi.categories(signal),
    staleTime: 10 * 60_000,
  });
  const list = q.data;
  return list && list.length > 0 && list.every((x) => typeof x?.code === 'string' && x.name) ? list : DEFAULT_CATEGORIES;
}

/** The canonical form of a phone as typed, or null while it is not a whole number yet. */
export function canonicalPhone(typed: string | undefined): string | null {
  if (!typed || typed.replace(/\D/g, '').length < 7) return null;
  const r = parsePhone(typed);
  return r.ok ? r.phone.canonical : null;
}

/** The screen-pop of a caller's number: who they are, their open cases, units and last contacts. */
export function useCallerLookup(phone: string | null) {
  return useQuery({
    queryKey: casesKeys.lookup(phone ?? ''),
    enabled: phone !== null,
    staleTime: 30_000,
    queryFn: ({ signal }) => request<CustomerLookup>('GET', '/api/customers/lookup', { query: { phone: phone!, cases: 10, contacts: 5 }, signal }),
  });
}

export function useCreateCase() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: OpenCaseRequest; key: string }) => casesApi.create(body, key),
    onSuccess: () => void qc.invalidateQueries({ queryKey: casesKeys.all }),
  });
}

/** After an action on a case: the case, its trail and every list are refetched. */
export function refreshCase(qc: QueryClient, id: string, answer?: unknown): void {
  if (answer && typeof answer === 'object' && 'id' in answer) {
    // The action's answer is the case as it now stands: show it at once, keep the names we had.
    qc.setQueryData(casesKeys.detail(id), (old: { c: CaseDetail; loadedAt: number } | undefined) =>
      old ? { c: { ...old.c, ...(answer as Partial<CaseDetail>), escalations: old.c.escalations, customer: old.c.customer, unit: (answer as Partial<CaseDetail>).unit ?? old.c.unit }, loadedAt: Date.now() } : old,
    );
  }
  void qc.invalidateQueries({ queryKey: casesKeys.detail(id) });
  void qc.invalidateQueries({ queryKey: casesKeys.events(id) });
  void qc.invalidateQueries({ queryKey: casesKeys.lists() });
  void qc.invalidateQueries({ queryKey: casesKeys.escalations() });
}

export { uuid };
