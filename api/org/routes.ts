import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { IdParams, PageQuery, defineRoute, pageAnswer, pageOf, skipTake } from '../http/route.js';
import { createProject } from '../../app/org/create-project.js';
import { findBuildingsOfProject, updateBuilding } from '../../app/org/buildings.js';
import { z } from '../http/zod.js';
import { BuildingParams, BuildingView, UpdateBuildingBody } from '../warranty/schemas.js';
import { findCompaniesInScope, findProjectInScopeOrThrow, findProjectsInScope, findUnitsOfProject } from '../../app/org/repository.js';
import { CompanyView, CreateProjectBody, ListProjectsQuery, ListUnitsQuery, ProjectView, UnitView, type Project } from './schemas.js';

type ProjectRow = {
  id: string;
  code: string;
  name: string;
  city: string | null;
  companyId: string;
  timeZone: string;
  warrantyAuthorisationAmount: { toNumber(): number };
  deliveryDate: Date | null;
  company: { name: string };
  _count: { units: number };
};

function toProjectView(p: ProjectRow): Project {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    city: p.city,
    companyId: p.companyId,
    companyName: p.company.name,
    timeZone: p.timeZone,
    warrantyAuthorisationAmount: p.warrantyAuthorisationAmount.toNumber(),
    deliveryDate: p.deliveryDate ? p.deliveryDate.toISOString().slice(0, 10) : null,
    unitCount: p._count.units,
  };
}

export function registerOrgRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/companies',
    operationId: 'listCompanies',
    summary: 'Companies in your scope / 公司列表',
    tags: ['organisation'],
    access: 'org:read',
    query: PageQuery,
    response: pageOf(CompanyView),
    async handler({ query, principal }) {
      const { rows, total } = await findCompaniesInScope(db, principal, skipTake(query));
      return pageAnswer(query, rows.map((c) => ({ id: c.id, code: c.code, name: c.name, projectCount: c._count.projects })), total);
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/projects',
    operationId: 'listProjects',
    summary: 'Projects in your scope / 项目列表',
    tags: ['organisation'],
    access: 'org:read',
    query: ListProjectsQuery,
    response: pageOf(ProjectView),
    async handler({ query, principal }) {
      const { rows, total } = await findProjectsInScope(db, principal, { companyId: query.companyId, q: query.q }, skipTake(query));
      return pageAnswer(query, rows.map(toProjectView), total);
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/projects/:id',
    operationId: 'getProject',
    summary: 'One project / 项目详情',
    tags: ['organisation'],
    access: 'org:read',
    params: IdParams,
    response: ProjectView,
    async handler({ params, principal }) {
      return toProjectView(await findProjectInScopeOrThrow(db, principal, params.id));
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/projects',
    operationId: 'createProject',
    summary: 'Create a project with its buildings and units / 新建项目',
    tags: ['organisation'],
    access: 'projects:write',
    body: CreateProjectBody,
    response: ProjectView,
    status: 201,
    errors: [404, 409],
    idempotencyDb: db,
    // The project's id is the request's: a retry after the process that created it died finds it.
    rerunSafe: true,
    handler: async ({ body, principal, requestKey }) => toProjectView(await createProject(db, principal, body, { requestKey })),
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/projects/:id/buildings',
    operationId: 'listBuildings',
    summary: "A project's buildings with their completion acceptance (warranty counts from it) / 楼栋列表",
    tags: ['organisation'],
    access: 'org:read',
    params: IdParams,
    response: z.object({ items: z.array(BuildingView) }),
    async handler({ params, principal }) {
      await findProjectInScopeOrThrow(db, principal, params.id);
      return { items: await findBuildingsOfProject(db, params.id) };
    },
  });

  defineRoute(router, registry, {
    method: 'patch',
    path: '/api/buildings/:id',
    operationId: 'updateBuilding',
    summary: "Record a building's completion acceptance and design service life (its units' warranty counts from them) / 登记竣工验收",
    tags: ['organisation'],
    access: 'projects:write',
    params: BuildingParams,
    body: UpdateBuildingBody,
    response: BuildingView,
    errors: [404],
    handler: async ({ params, body, principal }) => updateBuilding(db, principal, params.id, body),
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/projects/:id/units',
    operationId: 'listUnits',
    summary: "A project's units / 房源列表",
    tags: ['organisation'],
    access: 'units:read',
    params: IdParams,
    query: ListUnitsQuery,
    response: pageOf(UnitView),
    async handler({ params, query, principal }) {
      await findProjectInScopeOrThrow(db, principal, params.id);
      const { rows, total } = await findUnitsOfProject(db, params.id, { status: query.status, buildingId: query.buildingId }, skipTake(query));
      const items = rows.map((u) => ({
        id: u.id,
        number: u.number,
        floor: u.floor,
        area: u.area.toNumber(),
        status: u.status,
        buildingId: u.buildingId,
        buildingName: u.building.name,
      }));
      return pageAnswer(query, items, total);
    },
  });
}
