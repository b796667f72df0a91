import { DEFAULT_SALES_POLICY } from '../../domain/sales/policy.js';
import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import { DEFAULT_CADENCES } from '../../domain/leads/cadence.js';
import { GRADES } from '../../domain/leads/types.js';
import { DEFAULT_POLICY } from '../../domain/cases/sla-policy.js';
import {
  findCalendarsByGroup,
  findCategoriesByGroup,
  findSlaPoliciesByGroup,
  replaceCalendars,
  replaceCategories,
  replaceSlaPolicies,
} from '../../app/cases/settings.js';
import { findCadencePoliciesByGroup, findLossReasonsByGroup, replaceCadencePolicies, replaceLossReasons } from '../../app/leads/settings.js';
import { findSalesPolicyByGroup, replaceSalesPolicy } from '../../app/sales/settings.js';
import { defineRoute } from '../http/route.js';
import {
  CadencePoliciesView,
  CadencePolicyDoc,
  CalendarDoc,
  CalendarsView,
  CategoriesView,
  CategoryDoc,
  LossReasonDoc,
  LossReasonsView,
  SalesPolicyDoc,
  SalesPolicySettingsView,
  SlaPoliciesView,
  SlaPolicyDoc,
} from './schemas.js';

const whole = <T>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: Math.max(items.length, 1) });

export function registerSettingsRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;
  registerSalesSettingsRoutes(router, registry, deps);

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/sla-policies',
    operationId: 'listSlaPolicies',
    summary: 'SLA policies of your organisation / 时效策略',
    tags: ['settings'],
    access: 'settings:read',
    response: SlaPoliciesView,
    async handler({ principal }) {
      return { ...whole(await findSlaPoliciesByGroup(db, principal.groupId)), fallback: DEFAULT_POLICY };
    },
  });

  defineRoute(router, registry, {
    method: 'put',
    path: '/api/sla-policies',
    operationId: 'replaceSlaPolicies',
    summary: 'Replace the SLA policies (new cases and re-budgets use them) / 保存时效策略',
    tags: ['settings'],
    access: 'settings:write',
    body: z.array(SlaPolicyDoc).max(500),
    response: SlaPoliciesView,
    async handler({ body, principal }) {
      return { ...whole(await replaceSlaPolicies(db, principal, body)), fallback: DEFAULT_POLICY };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/calendars',
    operationId: 'listCalendars',
    summary: 'Business calendars of your organisation / 工作日历',
    tags: ['settings'],
    access: 'settings:read',
    response: CalendarsView,
    async handler({ principal }) {
      return whole(await findCalendarsByGroup(db, principal.groupId)) as never;
    },
  });

  defineRoute(router, registry, {
    method: 'put',
    path: '/api/calendars',
    operationId: 'replaceCalendars',
    summary: 'Replace the business calendars / 保存工作日历',
    tags: ['settings'],
    access: 'settings:write',
    body: z.array(CalendarDoc).min(1).max(50),
    response: CalendarsView,
    async handler({ body, principal }) {
      return whole(await replaceCalendars(db, principal, body)) as never;
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/categories',
    operationId: 'listCategories',
    summary: 'The case category taxonomy / 工单分类',
    tags: ['settings'],
    access: 'categories:read',
    response: CategoriesView,
    async handler({ principal }) {
      return whole(await findCategoriesByGroup(db, principal.groupId));
    },
  });

  defineRoute(router, registry, {
    method: 'put',
    path: '/api/categories',
    operationId: 'replaceCategories',
    summary: 'Replace the category taxonomy (existing cases keep their codes) / 保存工单分类',
    tags: ['settings'],
    access: 'settings:write',
    body: z.array(CategoryDoc).min(1).max(2000),
    response: CategoriesView,
    async handler({ body, principal }) {
      return whole(await replaceCategories(db, principal, body));
    },
  });
}

/**
 * The sales team's settings: lead cadences per grade and loss reasons. The sales team reads them
 * (`sales-settings:read`); a group administrator replaces them (canWriteSettings). New leads and
 * the actions that open a new cadence window (re-grade, assignment, review) use the current ones.
 */
function registerSalesSettingsRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/cadence-policies',
    operationId: 'listCadencePolicies',
    summary: 'Lead follow-up cadences per grade / 线索跟进节奏',
    tags: ['settings'],
    access: 'sales-settings:read',
    response: CadencePoliciesView,
    async handler({ principal }) {
      return { ...whole(await findCadencePoliciesByGroup(db, principal.groupId)), defaults: DEFAULT_CADENCES.map((p) => ({ ...p })) };
    },
  });

  defineRoute(router, registry, {
    method: 'put',
    path: '/api/cadence-policies',
    operationId: 'replaceCadencePolicies',
    summary: 'Replace the cadences (one per grade; new leads and new cadence windows use them) / 保存跟进节奏',
    tags: ['settings'],
    access: 'settings:write',
    body: z.array(CadencePolicyDoc).max(GRADES.length * 2),
    response: CadencePoliciesView,
    async handler({ body, principal }) {
      return { ...whole(await replaceCadencePolicies(db, principal, body)), defaults: DEFAULT_CADENCES.map((p) => ({ ...p })) };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/loss-reasons',
    operationId: 'listLossReasons',
    summary: 'Why leads are lost: the reasons to choose from, retired ones included / 战败原因',
    tags: ['settings'],
    access: 'sales-settings:read',
    response: LossReasonsView,
    async handler({ principal }) {
      return whole(await findLossReasonsByGroup(db, principal.groupId));
    },
  });

  defineRoute(router, registry, {
    method: 'put',
    path: '/api/loss-reasons',
    operationId: 'replaceLossReasons',
    summary: 'Replace the loss reasons (retire a reason with active: false; reasons on record stay) / 保存战败原因',
    tags: ['settings'],
    access: 'settings:write',
    body: z.array(LossReasonDoc).min(1).max(200),
    response: LossReasonsView,
    async handler({ body, principal }) {
      return whole(await replaceLossReasons(db, principal, body));
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/sales-policy',
    operationId: 'getSalesPolicy',
    summary: 'Deadlines of the sales lifecycle (ISO 8601 durations) / 销售流程时限',
    tags: ['settings'],
    access: 'sales-settings:read',
    response: SalesPolicySettingsView,
    async handler({ principal }) {
      return { policy: await findSalesPolicyByGroup(db, principal.groupId), defaults: { ...DEFAULT_SALES_POLICY } };
    },
  });

  defineRoute(router, registry, {
    method: 'put',
    path: '/api/sales-policy',
    operationId: 'replaceSalesPolicy',
    summary: 'Replace the sales deadlines (new sales use them; missing fields take the defaults) / 保存销售流程时限',
    tags: ['settings'],
    access: 'settings:write',
    body: SalesPolicyDoc,
    response: SalesPolicySettingsView,
    async handler({ body, principal }) {
      return { policy: await replaceSalesPolicy(db, principal, body), defaults: { ...DEFAULT_SALES_POLICY } };
    },
  });
}
