import { DEFAULT_SALES_POLICY } from '../../domain/sales/policy.js';
import { DEFAULT_WARRANTY_SETTINGS } from '../../domain/warranty/settings.js';
import { findWarrantySettingsByGroup, replaceWarrantySettings } from '../../app/warranty/settings.js';
import { WarrantySettingsDoc, WarrantySettingsView } from '../warranty/schemas.js';
import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import type { ApiDeps } from '../context.js';
import { DEFAULT_CADENCES } from '../../domain/leads/cadence.js';
import { GRADES } from '../../domain/leads/types.js';
import { DEFAULT_POLICY, notificationsOf, type SlaPolicy } from '../../domain/cases/sla-policy.js';
import { categoriesOfType, categoryTree } from '../../domain/cases/categories.js';
import { importCalendarDays } from '../../app/cases/calendar-import.js';
import { saveCalendarsAndRetime } from '../../app/cases/retime-cases.js';
import {
  calendarScheduleCoverage,
  findCalendarsByGroup,
  findCategoriesByGroup,
  findSlaPoliciesByGroup,
  replaceCalendars,
  replaceCategories,
  replaceSlaPolicies,
} from '../../app/cases/settings.js';
import { findCadencePoliciesByGroup, findLossReasonsByGroup, replaceCadencePolicies, replaceLossReasons } from '../../app/leads/settings.js';
import { findSalesPolicyByGroup, replaceSalesPolicy } from '../../app/sales/settings.js';
import { defineRoute, type OperationId } from '../http/route.js';
import type { Permission, Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import {
  CadencePoliciesView,
  CadencePolicyDoc,
  CalendarDoc,
  CalendarIdParams,
  CalendarImportBody,
  CalendarImportView,
  CalendarsView,
  CategoriesQuery,
  CategoriesView,
  CategoryDoc,
  LossReasonDoc,
  LossReasonsView,
  SalesPolicyDoc,
  SalesPolicySettingsView,
  SlaPoliciesView,
  SlaPolicyDoc,
  ScheduleCoverageView,
} from './schemas.js';

const withNotifications = (policy: SlaPolicy): SlaPolicy => ({ ...policy, notifications: notificationsOf(policy) });
const whole = <T>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: Math.max(items.length, 1) });

/**
 * One settings document of the organisation: GET reads the current one (`read.access`), PUT
 * replaces it whole (settings:write, see canWriteSettings); both answer it as `answer` shows it.
 */
function settingsDocument<RS extends z.ZodType, BS extends z.ZodType, T, QS extends z.ZodType<Record<string, unknown>> = z.ZodObject<{}>>(
  router: Router,
  registry: OpenAPIRegistry,
  db: Db,
  o: {
    path: string;
    response: RS;
    /** `query`: what the GET asked for (a part of the document); a PUT's answer is the whole document (no query). */
    answer: (document: T, query?: z.output<QS>) => z.output<RS>;
    read: { operationId: OperationId; summary: string; access: Permission; find: (db: Db, groupId: string) => Promise<T>; query?: QS };
    replace: { operationId: OperationId; summary: string; body: BS; replace: (db: Db, principal: Principal, body: z.output<BS>) => Promise<T> };
  },
): void {
  defineRoute(router, registry, {
    method: 'get',
    path: o.path,
    operationId: o.read.operationId,
    summary: o.read.summary,
    tags: ['settings'],
    access: o.read.access,
    ...(o.read.query ? { query: o.read.query } : {}),
    response: o.response,
    handler: async ({ principal, query }) => o.answer(await o.read.find(db, principal.groupId), query as z.output<QS>),
  });
  defineRoute(router, registry, {
    method: 'put',
    path: o.path,
    operationId: o.replace.operationId,
    summary: o.replace.summary,
    tags: ['settings'],
    access: 'settings:write',
    body: o.replace.body,
    response: o.response,
    handler: async ({ body, principal }) => o.answer(await o.replace.replace(db, principal, body)),
  });
}

export function registerSettingsRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;
  registerSalesSettingsRoutes(router, registry, deps);

  settingsDocument(router, registry, db, {
    path: '/api/warranty-settings',
    response: WarrantySettingsView,
    answer: (settings) => ({ settings, defaults: DEFAULT_WARRANTY_SETTINGS }),
    read: { operationId: 'getWarrantySettings', summary: 'Warranty settings: categories → building parts, longer periods by project or city, seasons, contractors’ retention thresholds / 保修设置', access: 'settings:read', find: findWarrantySettingsByGroup },
    replace: {
      operationId: 'replaceWarrantySettings',
      summary: 'Replace the warranty settings (missing parts take the defaults; the statutory periods are not a setting) / 保存保修设置',
      body: WarrantySettingsDoc,
      replace: replaceWarrantySettings,
    },
  });

  settingsDocument(router, registry, db, {
    path: '/api/sla-policies',
    response: SlaPoliciesView,
    // Each policy shows the notification settings its cases get, the defaults filled in.
    answer: (policies) => ({ ...whole(policies.map(withNotifications)), fallback: withNotifications(DEFAULT_POLICY) }),
    read: { operationId: 'listSlaPolicies', summary: 'SLA policies of your organisation / 时效策略', access: 'settings:read', find: findSlaPoliciesByGroup },
    replace: {
      operationId: 'replaceSlaPolicies',
      summary: 'Replace the SLA policies (new cases and re-budgets use them) / 保存时效策略',
      body: z.array(SlaPolicyDoc).max(500),
      replace: replaceSlaPolicies,
    },
  });

  settingsDocument(router, registry, db, {
    path: '/api/calendars',
    response: CalendarsView,
    answer: (calendars) => whole(calendars) as never,
    read: { operationId: 'listCalendars', summary: 'Business calendars of your organisation / 工作日历', access: 'settings:read', find: findCalendarsByGroup },
    replace: {
      operationId: 'replaceCalendars',
      summary: 'Replace the business calendars; open cases counting on a changed one are re-timed (audited) / 保存工作日历（进行中工单重新计时）',
      body: z.array(CalendarDoc).min(1).max(50),
      replace: (db, principal, body) => saveCalendarsAndRetime(deps, principal, () => replaceCalendars(db, principal, body)),
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/calendars/schedule-coverage',
    operationId: 'getCalendarScheduleCoverage',
    summary: "Whether each calendar knows next year's holidays (warn from 1 November) / 日历节假日覆盖情况",
    tags: ['settings'],
    access: 'settings:read',
    response: ScheduleCoverageView,
    handler: async ({ principal }) => ({ items: await calendarScheduleCoverage(db, principal.groupId) }),
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/calendars/:id/import',
    operationId: 'importCalendarDays',
    summary: "Import days off and make-up working days from an ICS file or feed into a calendar's own days / 导入 ICS 节假日",
    tags: ['settings'],
    access: 'settings:write',
    params: CalendarIdParams,
    body: CalendarImportBody,
    response: CalendarImportView,
    handler: async ({ params, body, principal }) =>
      saveCalendarsAndRetime(deps, principal, () =>
        importCalendarDays(db, principal, params.id, body.url !== undefined ? { url: body.url } : { ics: body.ics! }),
      ) as never,
  });

  settingsDocument(router, registry, db, {
    path: '/api/categories',
    response: CategoriesView,
    answer: (categories, query) => {
      const part = query?.type ? categoriesOfType({ type: query.type, categories }) : categories;
      return { ...whole(part), tree: categoryTree(part) };
    },
    read: {
      operationId: 'listCategories',
      summary: 'The case category taxonomy, or the tree of one case type (?type=) / 工单分类',
      access: 'categories:read',
      find: findCategoriesByGroup,
      query: CategoriesQuery,
    },
    replace: {
      operationId: 'replaceCategories',
      summary: 'Replace the category taxonomy (existing cases keep their codes) / 保存工单分类',
      body: z.array(CategoryDoc).min(1).max(2000),
      replace: replaceCategories,
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

  settingsDocument(router, registry, db, {
    path: '/api/cadence-policies',
    response: CadencePoliciesView,
    answer: (policies) => ({ ...whole(policies), defaults: DEFAULT_CADENCES.map((p) => ({ ...p })) }),
    read: { operationId: 'listCadencePolicies', summary: 'Lead follow-up cadences per grade / 线索跟进节奏', access: 'sales-settings:read', find: findCadencePoliciesByGroup },
    replace: {
      operationId: 'replaceCadencePolicies',
      summary: 'Replace the cadences (one per grade; new leads and new cadence windows use them) / 保存跟进节奏',
      body: z.array(CadencePolicyDoc).max(GRADES.length * 2),
      replace: replaceCadencePolicies,
    },
  });

  settingsDocument(router, registry, db, {
    path: '/api/loss-reasons',
    response: LossReasonsView,
    answer: whole,
    read: {
      operationId: 'listLossReasons',
      summary: 'Why leads are lost: the reasons to choose from, retired ones included / 战败原因',
      access: 'sales-settings:read',
      find: findLossReasonsByGroup,
    },
    replace: {
      operationId: 'replaceLossReasons',
      summary: 'Replace the loss reasons (retire a reason with active: false; reasons on record stay) / 保存战败原因',
      body: z.array(LossReasonDoc).min(1).max(200),
      replace: replaceLossReasons,
    },
  });

  settingsDocument(router, registry, db, {
    path: '/api/sales-policy',
    response: SalesPolicySettingsView,
    answer: (policy) => ({ policy, defaults: { ...DEFAULT_SALES_POLICY } }),
    read: { operationId: 'getSalesPolicy', summary: 'Deadlines of the sales lifecycle (ISO 8601 durations) / 销售流程时限', access: 'sales-settings:read', find: findSalesPolicyByGroup },
    replace: {
      operationId: 'replaceSalesPolicy',
      summary: 'Replace the sales deadlines (new sales use them; missing fields take the defaults) / 保存销售流程时限',
      body: SalesPolicyDoc,
      replace: replaceSalesPolicy,
    },
  });
}
