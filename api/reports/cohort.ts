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

/**
 * The cohort as the WHERE of one read-model table: `alias` is the table's alias in the report's
 * query and `arrivedAt` the column that dates a record's arrival (constants of the report's own
 * SQL, never input).
 */
export function cohortWhere(s: CohortScope, alias: 'c' | 'l' | 's', arrivedAt: 'openedAt' | 'createdAt'): Prisma.Sql {
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const p = s.principal;
  const parts = [Prisma.sql`${column('groupId')} = ${p.groupId}`, Prisma.sql`${column(arrivedAt)} >= ${s.from}`, Prisma.sql`${column(arrivedAt)} < ${s.to}`];
  if (p.scopeLevel === 'COMPANY') parts.push(Prisma.sql`${column('companyId')} = ${p.companyId ?? '__none__'}`);
  if (p.scopeLevel === 'PROJECT') parts.push(Prisma.sql`${column('projectId')} = ${p.projectId ?? '__none__'}`);
  if (s.projectId) parts.push(Prisma.sql`${column('projectId')} = ${s.projectId}`);
  return Prisma.join(parts, ' AND ');
}
