import { DEFAULT_SALES_POLICY, type SalesPolicy } from '../../domain/sales/policy.js';
import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import { DEFAULT_CADENCES } from '../../domain/leads/cadence.js';
import { GRADES, OWNER_ROLES } from '../../domain/leads/types.js';
import { DEFAULT_POLICY } from '../../domain/cases/sla-policy.js';
import { CASE_TYPES, CLOCKS, SEVERITIES, TIERS } from '../../domain/cases/types.js';
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

/*
 * The zod schemas below describe the documents for the OpenAPI document and catch wrong JSON types;
 * the domain's parse* functions then apply the business rules (durations per clock, calendar
 * arithmetic, taxonomy shape), and their issues come back as 400 with `body.<index>.<field>` paths.
 */
const Duration = z.string().max(40).describe('ISO 8601 duration, e.g. PT24H, P7D, PT30S');

const SlaPolicyDoc = z
  .object({
    id: z.string().max(64),
    name: z.string().max(200),
    caseType: z.enum([...CASE_TYPES, '*']).optional(),
    categoryPrefix: z.string().max(200).optional().describe("A branch of the taxonomy such as complaint.quality; '' matches all"),
    severity: z.enum([...SEVERITIES, '*']).optional(),
    tier: z.enum([...TIERS, '*']).optional(),
    firstContact: Duration.optional(),
    resolution: Duration.optional(),
    callback: Duration.optional(),
    warnAt: z.number().optional(),
    approvalWindow: Duration.optional(),
    satisfactionThreshold: z.number().int().optional(),
    clock: z.enum(CLOCKS).optional(),
    calendarId: z.string().max(64).optional(),
  })
  .openapi('SlaPolicy');

const Interval = z.object({ start: z.string().max(5), end: z.string().max(5) });
const CalendarDoc = z
  .object({
    id: z.string().max(64),
    name: z.string().max(200),
    timeZone: z.string().max(64),
    weekly: z.record(z.string(), z.array(Interval).max(12)).describe('ISO weekday 1 (Monday) … 7 (Sunday) → working intervals'),
    holidays: z.array(z.string().max(10)).max(1000).default([]),
    makeUpWorkdays: z.array(z.object({ date: z.string().max(10), hoursLike: z.number().int() })).max(366).default([]),
    workingDayHours: z.number().optional(),
  })
  .openapi('BusinessCalendar');

const CategoryDoc = z
  .object({
    code: z.string().max(200),
    name: z.object({ zh: z.string().max(100), en: z.string().max(100) }),
    parent: z.string().max(200).optional(),
  })
  .openapi('Category');

const CadencePolicyDoc = z
  .object({
    grade: z.string().max(10).describe('A, B or C: one policy per grade'),
    firstContact: Duration.describe('First touch due this long after the lead arrives (or is re-graded or assigned untouched); at most a month'),
    interval: Duration.describe('Then a touch every …; at most a month. A window untouched one more interval returns the lead to the pool'),
    lastsFor: Duration.nullable().optional().describe('How long the grade’s cadence runs before the lead drops to `dropTo` (B: P1M), or null'),
    dropTo: z.string().max(10).nullable().optional().describe('The grade it drops to (B → C), or null'),
    ownerRole: z.string().max(20).describe(`Who gets new leads of the grade, round robin: ${OWNER_ROLES.join(', ')}`),
  })
  .openapi('CadencePolicy');

const LossReasonDoc = z
  .object({
    code: z.string().max(40).describe('Stable code recorded on leads, e.g. price'),
    name: z.object({ zh: z.string().max(200), en: z.string().max(200) }),
    active: z.boolean().optional().describe('Retired reasons (false) stay readable on old leads but cannot be chosen'),
  })
  .openapi('LossReason');

const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
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
    response: listOf(SlaPolicyDoc).extend({ fallback: SlaPolicyDoc.describe('Applies when no policy matches a case') }),
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
    response: listOf(SlaPolicyDoc).extend({ fallback: SlaPolicyDoc }),
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
    response: listOf(CalendarDoc),
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
    response: listOf(CalendarDoc),
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
    response: listOf(CategoryDoc),
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
    response: listOf(CategoryDoc),
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
    response: listOf(CadencePolicyDoc).extend({ defaults: z.array(CadencePolicyDoc).describe('The handbook’s cadences') }),
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
    response: listOf(CadencePolicyDoc).extend({ defaults: z.array(CadencePolicyDoc) }),
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
    response: listOf(LossReasonDoc),
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
    response: listOf(LossReasonDoc),
    async handler({ body, principal }) {
      return whole(await replaceLossReasons(db, principal, body));
    },
  });

  const SalesPolicyDoc = z
    .object(Object.fromEntries(Object.keys(DEFAULT_SALES_POLICY).map((k) => [k, z.string().min(2).max(40)])) as Record<keyof SalesPolicy, z.ZodString>)
    .partial()
    .openapi('SalesPolicy');

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/sales-policy',
    operationId: 'getSalesPolicy',
    summary: 'Deadlines of the sales lifecycle (ISO 8601 durations) / 销售流程时限',
    tags: ['settings'],
    access: 'sales-settings:read',
    response: z.object({ policy: SalesPolicyDoc.required(), defaults: SalesPolicyDoc.required() }),
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
    response: z.object({ policy: SalesPolicyDoc.required(), defaults: SalesPolicyDoc.required() }),
    async handler({ body, principal }) {
      return { policy: await replaceSalesPolicy(db, principal, body), defaults: { ...DEFAULT_SALES_POLICY } };
    },
  });
}
