import type { Principal, Role } from '../../domain/access.js';
import type { CaseStatus } from '../../domain/cases/types.js';
import type { HomeCountKey, HomeListOperation } from '../../domain/home.js';
import type { Db } from '../../platform/db.js';
import { countCasesInScope, countEscalationsInScope, type CaseFilter } from '../cases/repository.js';
import { countVisibleLeads, type LeadFilter } from '../leads/repository.js';
import { findTodayOfProjects } from '../org/local-days.js';
import { countSlaBreachedCases } from '../reports/breaches.js';
import { countVisibleSales, type SaleFilter } from '../sales/repository.js';

/**
 * The home page's counts: for each role, the few numbers of its own work that matter today (what is
 * late, what is due, what waits for a decision), each with the list query that shows exactly those
 * records. A count is that list's total, by construction: it runs the list's own filter through the
 * list's repository (the same `where`), with the query parameters the list takes written beside it.
 * A handful of COUNT queries on indexed columns: cheap enough to poll. The keys and list operations
 * are domain/home.ts.
 */

/** The list that shows a count's records: its operation, path and query parameters. */
export interface HomeListLink {
  operationId: HomeListOperation;
  path: string;
  query: Record<string, string>;
}

export interface HomeCount {
  key: HomeCountKey;
  count: number;
  list: HomeListLink;
}

type Counter = (db: Db, principal: Principal, now: Date) => Promise<number>;
interface CountSpec {
  key: HomeCountKey;
  list: HomeListLink;
  count: Counter;
}

const NOT_CLOSED: CaseStatus[] = ['open', 'contacted', 'waiting_on_customer', 'resolved'];
/** Still the handler's to work: not yet resolved (a resolved case waits for the call centre's callback). */
const IN_PROGRESS: CaseStatus[] = ['open', 'contacted', 'waiting_on_customer'];
const DUE_SOON_MINUTES = 120;

const cases = (key: HomeCountKey, query: Record<string, string>, filter: (p: Principal) => CaseFilter): CountSpec => ({
  key,
  list: { operationId: 'listCases', path: '/api/cases', query },
  count: (db, p, now) => countCasesInScope(db, p, filter(p), now),
});
const escalations = (key: HomeCountKey): CountSpec => ({
  key,
  list: { operationId: 'listEscalations', path: '/api/escalations', query: { status: 'pending' } },
  count: (db, p) => countEscalationsInScope(db, p, { status: 'pending' }),
});
const leads = (key: HomeCountKey, query: Record<string, string>, filter: (p: Principal) => LeadFilter): CountSpec => ({
  key,
  list: { operationId: 'listLeads', path: '/api/leads', query },
  count: (db, p, now) => countVisibleLeads(db, p, filter(p), now),
});
const sales = (key: HomeCountKey, query: Record<string, string>, filter: SaleFilter): CountSpec => ({
  key,
  list: { operationId: 'listSales', path: '/api/sales', query },
  count: (db, p) => countVisibleSales(db, p, filter),
});

const COUNTS = {
  openedByMe: cases('cases.openedByMeNotClosed', { openedBy: 'me', status: NOT_CLOSED.join(',') }, (p) => ({ openedById: p.id, status: NOT_CLOSED })),
  awaitingCallback: cases('cases.awaitingCallback', { status: 'resolved' }, () => ({ status: ['resolved'] })),
  mineInProgress: cases('cases.mineInProgress', { assigneeId: 'me', status: IN_PROGRESS.join(',') }, (p) => ({ assigneeId: p.id, status: IN_PROGRESS })),
  mineOverdue: cases('cases.mineOverdue', { assigneeId: 'me', overdue: 'true' }, (p) => ({ assigneeId: p.id, overdue: true })),
  mineDueSoon: cases('cases.mineDueWithin2h', { assigneeId: 'me', dueWithinMinutes: String(DUE_SOON_MINUTES) }, (p) => ({
    assigneeId: p.id,
    dueWithinMinutes: DUE_SOON_MINUTES,
  })),
  overdue: cases('cases.overdue', { overdue: 'true' }, () => ({ overdue: true })),
  breachedToday: {
    key: 'cases.breachedToday',
    list: { operationId: 'listSlaBreachedCases', path: '/api/reports/sla/breached-cases', query: { breachedToday: 'true' } },
    count: async (db, principal, now) =>
      countSlaBreachedCases(db, { principal, breachedToday: await findTodayOfProjects(db, principal.groupId, now.getTime()), now }),
  },
  awaitingMyDecision: escalations('escalations.awaitingMyDecision'),
  escalationsPending: escalations('escalations.pending'),
  leadsMineDueToday: leads('leads.mineDueToday', { ownerId: 'me', dueToday: 'true' }, (p) => ({ ownerId: p.id, dueToday: true })),
  leadsMineOverdue: leads('leads.mineOverdue', { ownerId: 'me', overdue: 'true' }, (p) => ({ ownerId: p.id, overdue: true })),
  leadsOverdue: leads('leads.overdue', { overdue: 'true' }, () => ({ overdue: true })),
  leadsPooled: leads('leads.pooled', { status: 'pooled' }, () => ({ status: ['pooled'] })),
  lossReviews: leads('leads.lossReviewsPending', { status: 'lost_pending_review' }, () => ({ status: ['lost_pending_review'] })),
  saleApprovals: sales('sales.approvalsPending', { pendingApproval: 'true' }, { pendingApproval: true }),
} satisfies Record<string, CountSpec>;

/**
 * What each role's home page counts. Agents: the cases they opened that are not closed, and the
 * resolved cases awaiting the callback. Handlers: their cases in progress, late now, and due within
 * 2 h. Supervisors: the escalations waiting for their decision, the overdue cases of their scope.
 * Managers: overdue cases, pending escalations and the cases that breached a target today in their
 * scope. Sales staff and specialists: their leads due today and overdue, and the pool they see
 * (a sales manager assigns from it). Sales managers: sale approvals and loss reviews waiting, overdue
 * leads and the pool of their projects. Administrators: nothing to count.
 */
const BY_ROLE: Record<Role, CountSpec[]> = {
  AGENT: [COUNTS.openedByMe, COUNTS.awaitingCallback],
  HANDLER: [COUNTS.mineInProgress, COUNTS.mineOverdue, COUNTS.mineDueSoon],
  SUPERVISOR: [COUNTS.awaitingMyDecision, COUNTS.overdue],
  MANAGER: [COUNTS.overdue, COUNTS.escalationsPending, COUNTS.breachedToday],
  SALES: [COUNTS.leadsMineDueToday, COUNTS.leadsMineOverdue, COUNTS.leadsPooled],
  SPECIALIST: [COUNTS.leadsMineDueToday, COUNTS.leadsMineOverdue, COUNTS.leadsPooled],
  SALES_MANAGER: [COUNTS.saleApprovals, COUNTS.lossReviews, COUNTS.leadsOverdue, COUNTS.leadsPooled],
  ADMIN: [],
  // Work orders have no home counts yet (issue 15: the technician's jobs come with its screens).
  TECHNICIAN: [],
  CONTRACTOR: [],
};

/** The principal's home counts as of `now`, in the order its page shows them. */
export async function getHome(db: Db, principal: Principal, now: Date): Promise<{ role: Role; counts: HomeCount[] }> {
  const specs = BY_ROLE[principal.role];
  const counts = await Promise.all(specs.map(async (s) => ({ key: s.key, count: await s.count(db, principal, now), list: s.list })));
  return { role: principal.role, counts };
}
