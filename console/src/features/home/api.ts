/**
 * The home page's server state: the name of the user's scope (never its id: the page waits for the
 * name), and — refreshed every 30 s and when the tab regains focus — the role's counts.
 */
import { useQuery } from '@tanstack/react-query';
import { api, type User } from '../../api.js';

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
