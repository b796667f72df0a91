import { Prisma } from '../../prisma/generated/client.js';
import type { Principal } from '../../domain/access.js';

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

type Alias = 'c' | 'l' | 's';
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
export function cohortWhere(s: CohortScope, alias: Alias, arrivedAt: 'openedAt' | 'createdAt'): Prisma.Sql {
  return Prisma.join([placeWhere(s, alias), Prisma.sql`${column(alias, arrivedAt)} >= ${s.from}`, Prisma.sql`${column(alias, arrivedAt)} < ${s.to}`], ' AND ');
}
