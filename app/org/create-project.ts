import { coversCompany, type Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { orgError } from './errors.js';
import { createProjectWithBuildings, findCompanyById, findProjectInScopeOrThrow, findProjectOfGroupByCode, type ProjectWithCounts } from './repository.js';
import { recordIdForRequest } from '../shared/request-identity.js';

export interface NewProjectInput {
  companyId: string;
  code: string;
  name: string;
  city?: string | undefined;
  timeZone: string;
  warrantyAuthorisationAmount: number;
  /** A calendar date, YYYY-MM-DD. */
  deliveryDate?: string | undefined;
  buildings: { name: string; units: { number: string; floor: number; area: number }[] }[];
}

/**
 * Creates a project of a company in the principal's scope, with its buildings and units: 404 for
 * another group's company, 403 outside the scope, 409 for a code the group uses already, 400 for
 * a building name or a unit number given twice.
 *
 * With `requestKey` the project's id is the request's: run again after the process that ran it
 * first died, it finds the project that run created (with its buildings and units, written in one
 * transaction) under the code and answers it instead of refusing the code as taken.
 */
export async function createProject(db: Db, principal: Principal, body: NewProjectInput, o: { requestKey?: string | null } = {}): Promise<ProjectWithCounts> {
  const id = o.requestKey ? recordIdForRequest('project', o.requestKey) : undefined;
  const company = await findCompanyById(db, body.companyId);
  if (!company || company.groupId !== principal.groupId) throw orgError('COMPANY_NOT_FOUND');
  if (!coversCompany(principal, company)) throw orgError('OUT_OF_SCOPE');
  const taken = await findProjectOfGroupByCode(db, company.groupId, body.code);
  if (taken && id !== undefined && taken.id === id) return findProjectInScopeOrThrow(db, principal, id);
  if (taken) throw orgError('PROJECT_CODE_TAKEN', { code: body.code });
  const seen = new Set<string>();
  for (const [bi, b] of body.buildings.entries()) {
    if (seen.has(b.name)) throw orgError('DUPLICATE_BUILDING_NAME', { building: b.name }, { field: 'body.buildings' });
    seen.add(b.name);
    // createMany skips duplicates silently: refuse them here so no unit the caller sent is lost.
    const numbers = new Set<string>();
    for (const [ui, u] of b.units.entries()) {
      if (numbers.has(u.number))
        throw orgError('DUPLICATE_UNIT_NUMBER', { unit: u.number, building: b.name }, { field: `body.buildings.${bi}.units.${ui}.number` });
      numbers.add(u.number);
    }
  }
  return createProjectWithBuildings(db, {
    ...(id !== undefined ? { id } : {}),
    groupId: company.groupId,
    companyId: company.id,
    code: body.code,
    name: body.name,
    city: body.city ?? null,
    timeZone: body.timeZone,
    warrantyAuthorisationAmount: body.warrantyAuthorisationAmount,
    deliveryDate: body.deliveryDate ? new Date(`${body.deliveryDate}T00:00:00Z`) : null,
    buildings: body.buildings,
  });
}
