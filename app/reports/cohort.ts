import { Prisma } from '../../prisma/generated/client.js';
import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';

/**
 * What a report counts: a cohort, the records that arrived (a case opened, a lead or a sale
 * created) in [from, to), never of another organisation, narrowed to the caller's company or
 * project, and to one project on request. Each report follows its cohort to where it stands now.
 */
export interface CohortScope {
  principal: Principal;
  from: Date;
  to: Date;
  projectId?: string | undefined;
}

/**
 * The report's alias of a case, lead or sale row, or of a row that carries its case's place: a
 * target record (`r`, also its case's openedAt), an escalation (`e`) or a work order (`w`).
 */
type Alias = 'c' | 'l' | 's' | 'r' | 'e' | 'w';
const column = (alias: Alias, name: string) => Prisma.raw(`${alias}."${name}"`);

/**
 * The caller's part of the organisation (and one project on request) as the WHERE of one
 * read-model table whose alias in the report's query is `alias` (a constant, never input).
 */
export function placeWhere(s: { principal: Principal; projectId?: string | undefined }, alias: Alias): Prisma.Sql {
  const p = s.principal;
  const parts = [Prisma.sql`${column(alias, 'groupId')} = ${p.groupId}`];
  if (p.scopeLevel === 'COMPANY') parts.push(Prisma.sql`${column(alias, 'companyId')} = ${p.companyId ?? '__none__'}`);
  if (p.scopeLevel === 'PROJECT') parts.push(Prisma.sql`${column(alias, 'projectId')} = ${p.projectId ?? '__none__'}`);
  if (s.projectId) parts.push(Prisma.sql`${column(alias, 'projectId')} = ${s.projectId}`);
  return Prisma.join(parts, ' AND ');
}

/**
 * The cohort as the WHERE of one read-model table: `alias` is the table's alias in the report's
 * query and `arrivedAt` the column that dates a record's arrival (constants of the report's own
 * SQL, never input).
 */
export function cohortWhere(s: CohortScope, alias: Alias, arrivedAt: 'openedAt' | 'createdAt' | 'caseOpenedAt'): Prisma.Sql {
  return Prisma.join([placeWhere(s, alias), Prisma.sql`${column(alias, arrivedAt)} >= ${s.from}`, Prisma.sql`${column(alias, arrivedAt)} < ${s.to}`], ' AND ');
}

/** A client a report's reads run on: the database, or the transaction `withReportSettings` opened. */
export type ReportDb = Db | Prisma.TransactionClient;

/**
 * Runs a report’s reads in one transaction with the settings its plans need:
 * - `jit = off`: a year of a company is a few hundred thousand rows read through indexes, which
 *   the planner costs above `jit_above_cost`; compiling the expressions then took ~110 ms of an
 *   800 ms answer (EXPLAIN ANALYZE, 1 M cases) and saved nothing;
 * - `work_mem = 64MB`: the target rows of such a year (~80,000) are sorted for the per-group
 *   percentiles; with the default 4 MB that sort spilled to disk (external merge).
 * SET LOCAL ends with the transaction, so the pooled connection goes back as it came.
 */
export function withReportSettings<T>(db: Db, read: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET LOCAL jit = off`;
      await tx.$executeRaw`SET LOCAL work_mem = '64MB'`;
      return read(tx);
    },
    // A group's five years can take seconds on a loaded machine: the 5 s default would cut it off.
    { maxWait: 10_000, timeout: 120_000 },
  );
}
