/** Company and project names for showing a scope ("公司 · 华东公司") instead of bare ids. */
import { useEffect, useState } from 'react';
import { api, type Company, type Project } from './api.js';
import type { useI18n } from './i18n.js';

export interface OrgLookups {
  companies: Company[];
  projects: Project[];
  companyName: (id: string | null | undefined) => string | null;
  projectName: (id: string | null | undefined) => string | null;
}

const MAX_PAGE = 200;

/** Loads the (first 200) companies and projects the user may see; failures just leave ids unnamed. */
export function useOrgLookups(): OrgLookups {
  const [companies, setCompanies] = useState<Company[]>([]);
  const [projects, setProjects] = useState<Project[]>([]);
  useEffect(() => {
    const c = new AbortController();
    api.companies({ page: 1, pageSize: MAX_PAGE }, c.signal).then(
      (p) => setCompanies(p.items),
      () => undefined,
    );
    api.projects({ page: 1, pageSize: MAX_PAGE }, c.signal).then(
      (p) => setProjects(p.items),
      () => undefined,
    );
    return () => c.abort();
  }, []);
  return {
    companies,
    projects,
    companyName: (id) => (id ? (companies.find((x) => x.id === id)?.name ?? projects.find((x) => x.companyId === id)?.companyName ?? null) : null),
    projectName: (id) => (id ? (projects.find((x) => x.id === id)?.name ?? null) : null),
  };
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
