/**
 * The sidebar: one entry per page with the roles that see it. Later pages (cases, leads, sales)
 * are added here and in the route table of App.tsx; nothing else needs to change.
 */
import { ROLES, type Role } from '../../domain/access.js';
import type { MessageKey } from './i18n.js';
import type { IconName } from './icons.js';

export interface NavEntry {
  /** Stable key: the link carries `data-nav="<key>"`. */
  key: string;
  path: string;
  labelKey: MessageKey;
  /** One-line description on the dashboard's shortcut cards. */
  descriptionKey: MessageKey;
  icon: IconName;
  roles: readonly Role[];
}

const ALL: readonly Role[] = ROLES;

export const NAV: readonly NavEntry[] = [
  { key: 'dashboard', path: '/', labelKey: 'nav.dashboard', descriptionKey: 'nav.dashboard.desc', icon: 'dashboard', roles: ALL },
  { key: 'projects', path: '/projects', labelKey: 'nav.projects', descriptionKey: 'nav.projects.desc', icon: 'projects', roles: ALL },
  {
    key: 'companies',
    path: '/companies',
    labelKey: 'nav.companies',
    descriptionKey: 'nav.companies.desc',
    icon: 'companies',
    roles: ['ADMIN', 'MANAGER', 'SUPERVISOR', 'SALES_MANAGER'],
  },
  {
    key: 'customers',
    path: '/customers',
    labelKey: 'nav.customers',
    descriptionKey: 'nav.customers.desc',
    icon: 'customers',
    roles: ['AGENT', 'HANDLER', 'SUPERVISOR', 'MANAGER', 'SALES', 'SALES_MANAGER', 'ADMIN'],
  },
  {
    // ADMIN manages users; supervisors and managers read the staff list of their scope.
    key: 'users',
    path: '/users',
    labelKey: 'nav.users',
    descriptionKey: 'nav.users.desc',
    icon: 'users',
    roles: ['ADMIN', 'SUPERVISOR', 'MANAGER', 'SALES_MANAGER'],
  },
  { key: 'outbox', path: '/outbox', labelKey: 'nav.outbox', descriptionKey: 'nav.outbox.desc', icon: 'outbox', roles: ['ADMIN'] },
];

export function navFor(role: Role): NavEntry[] {
  return NAV.filter((e) => e.roles.includes(role));
}

export function navEntry(key: string): NavEntry | undefined {
  return NAV.find((e) => e.key === key);
}

/** The entry a path belongs to (longest matching prefix): `/projects/p1` → projects. */
export function navEntryForPath(path: string): NavEntry | undefined {
  let best: NavEntry | undefined;
  for (const e of NAV) {
    const matches = e.path === '/' ? path === '/' : path === e.path || path.startsWith(`${e.path}/`);
    if (matches && (!best || e.path.length > best.path.length)) best = e;
  }
  return best;
}
