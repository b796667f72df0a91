/**
 * The home page's server state: the name of the user's scope (never its id: the page waits for the
 * name), and — refreshed every 30 s and when the tab regains focus — the role's counts.
 */
import { useQuery } from '@tanstack/react-query';
import { api, request, type Page, type User } from '../../api.js';
import type { Home, HomeCount } from '../../../../api/home/schemas.js';
import type { CaseListItem, Escalation } from '../../../../api/cases/schemas.js';
import type { Lead } from '../../../../api/leads/schemas.js';
import type { SaleSummary } from '../../../../api/sales/schemas.js';
import type { SlaBreachedCase } from '../../../../api/reports/schemas.js';

export type { Home, HomeCount };

export const homeKeys = {
  all: ['home'] as const,
  scope: (user: User) => ['home', 'scope', user.scope.level, user.scope.companyId, user.scope.projectId] as const,
};

/** The company's or project's name of a scope; null for the group. */
export function useScopeName(user: User) {
  const { level, companyId, projectId } = user.scope;
  return useQuery({
    queryKey: homeKeys.scope(user),
    queryFn: async ({ signal }): Promise<string | null> => {
      if (level === 'PROJECT' && projectId) return (await api.project(projectId, signal)).name;
      if (level === 'COMPANY' && companyId) {
        const companies = await api.companies({ page: 1, pageSize: 200 }, signal);
        const found = companies.items.find((c) => c.id === companyId);
        if (found) return found.name;
        const projects = await api.projects({ page: 1, pageSize: 200 }, signal);
        return projects.items.find((p) => p.companyId === companyId)?.companyName ?? null;
      }
      return null;
    },
    staleTime: 10 * 60_000,
  });
}

/** The role's counts: polled every 30 s and refetched when the tab regains focus. */
export const HOME_REFRESH_MS = 30_000;

export function useHome() {
  return useQuery({
    queryKey: [...homeKeys.all, 'counts'] as const,
    queryFn: ({ signal }) => request<Home>('GET', '/api/home', { signal }),
    refetchInterval: HOME_REFRESH_MS,
    refetchOnWindowFocus: 'always',
    staleTime: 0,
  });
}

/** A record of one of the lists a count links to (cases, escalations, leads, sales, breached cases). */
export type HomeListRow = CaseListItem | Escalation | Lead | SaleSummary | SlaBreachedCase;

/** The records behind a count: its own list query, a page at a time (its total is the count). */
export function useHomeList(count: HomeCount | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...homeKeys.all, 'list', count?.key, count?.list, page, pageSize] as const,
    queryFn: ({ signal }) => request<Page<HomeListRow>>('GET', count!.list.path, { query: { ...count!.list.query, page, pageSize }, signal }),
    enabled: !!count,
    refetchInterval: HOME_REFRESH_MS,
  });
}
