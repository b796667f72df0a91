/**
 * Company and project names for showing a scope ("公司 · 华东公司") or a record's project instead of
 * bare ids, from the organisation feature's cached queries (features/org/api.ts): every page that
 * names projects shares one request, and a failure just leaves ids unnamed.
 */
import { useMemo } from 'react';
import type { Company, Project } from '../../api.js';
import type { useI18n } from '../../i18n.js';
import { useAllCompanies, useAllProjects } from './api.js';

export interface OrgLookups {
  companies: Company[];
  projects: Project[];
  companyName: (id: string | null | undefined) => string | null;
  projectName: (id: string | null | undefined) => string | null;
}

// One empty list while loading, so effects that depend on the lists do not run on every render.
const NONE: never[] = [];

/** The (first 200) companies and projects the user may see, with their names by id. */
export function useOrgLookups(): OrgLookups {
  const companies = useAllCompanies().data ?? NONE;
  const projects = useAllProjects().data ?? NONE;
  return useMemo<OrgLookups>(
    () => ({
      companies,
      projects,
      companyName: (id) => (id ? (companies.find((x) => x.id === id)?.name ?? projects.find((x) => x.companyId === id)?.companyName ?? null) : null),
      projectName: (id) => (id ? (projects.find((x) => x.id === id)?.name ?? null) : null),
    }),
    [companies, projects],
  );
}

type Translate = ReturnType<typeof useI18n>['t'];

/** "集团" / "公司 · 华东公司" / "项目 · 翠湖花园" (falls back to the id when the name is unknown). */
export function scopeLabel(
  scope: { level: 'GROUP' | 'COMPANY' | 'PROJECT'; companyId: string | null; projectId: string | null },
  lookups: Pick<OrgLookups, 'companyName' | 'projectName'>,
  t: Translate,
): string {
  const level = t(`scope.${scope.level}` as const);
  if (scope.level === 'PROJECT' && scope.projectId) return `${level} · ${lookups.projectName(scope.projectId) ?? scope.projectId}`;
  if (scope.level === 'COMPANY' && scope.companyId) return `${level} · ${lookups.companyName(scope.companyId) ?? scope.companyId}`;
  return level;
}
