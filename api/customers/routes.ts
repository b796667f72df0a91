import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { IdParams, defineRoute, pageAnswer, pageOf, skipTake } from '../http/route.js';
import { recordCustomerViews } from '../record-views/record-view-log.js';
import { registerCustomer } from '../../app/customers/register-customer.js';
import { findCustomerOfGroupOrThrow, findCustomersOfGroup } from '../../app/customers/repository.js';
import { getCustomerRecords, lookUpCaller } from '../../app/customers/customer-records.js';
import { toCustomerView } from './customer-view.js';
import { toCustomerLookup, toCustomerRecords } from './records-view.js';
import { CustomerLookupQuery, CustomerLookupView, CustomerRecordsQuery, CustomerRecordsView } from './records-schemas.js';
import { CreateCustomerBody, CustomerView, ListCustomersQuery } from './schemas.js';

export function registerCustomerRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/customers',
    operationId: 'listCustomers',
    summary: 'Search customers / 客户列表',
    tags: ['customers'],
    access: 'customers:read',
    query: ListCustomersQuery,
    response: pageOf(CustomerView),
    async handler({ query, principal }) {
      const { rows, total } = await findCustomersOfGroup(db, principal.groupId, query.q, skipTake(query));
      return pageAnswer(query, rows.map((c) => toCustomerView(principal, c)), total);
    },
  });

  // Before /api/customers/:id, which would otherwise take `lookup` for an id.
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/customers/lookup',
    operationId: 'lookupCustomerByPhone',
    summary: "A caller's number: the customer, their open cases, units and last contacts (screen-pop) / 来电弹屏",
    tags: ['customers'],
    access: 'customers:read',
    query: CustomerLookupQuery,
    response: CustomerLookupView,
    async handler({ query, principal, req }) {
      const found = await lookUpCaller(db, principal, query.phone, { casesLimit: query.cases, contactsLimit: query.contacts });
      const answer = toCustomerLookup(principal, query.phone, found);
      if (found.customer)
        await recordCustomerViews(db, principal, req, [{ customerId: found.customer.id, recordKind: 'customer', recordId: found.customer.id, companyId: null, projectId: null }]);
      return answer;
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/customers/:id',
    operationId: 'getCustomer',
    summary: 'One customer / 客户详情',
    tags: ['customers'],
    access: 'customers:read',
    params: IdParams,
    response: CustomerView,
    async handler({ params, principal, req }) {
      const c = await findCustomerOfGroupOrThrow(db, principal.groupId, params.id);
      const view = toCustomerView(principal, c);
      await recordCustomerViews(db, principal, req, [{ customerId: c.id, recordKind: 'customer', recordId: c.id, companyId: null, projectId: null }]);
      return view;
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/customers/:id/records',
    operationId: 'getCustomerRecords',
    summary: "A customer's cases, leads, sales and units in your scope, newest first / 客户记录",
    tags: ['customers'],
    access: 'customers:read',
    params: IdParams,
    query: CustomerRecordsQuery,
    response: CustomerRecordsView,
    async handler({ params, query, principal, req }) {
      const records = await getCustomerRecords(db, principal, params.id, { limit: query.limit });
      const answer = toCustomerRecords(principal, records);
      await recordCustomerViews(db, principal, req, [{ customerId: records.customer.id, recordKind: 'customer', recordId: records.customer.id, companyId: null, projectId: null }]);
      return answer;
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/customers',
    operationId: 'createCustomer',
    summary: 'Register a customer / 新建客户',
    tags: ['customers'],
    access: 'customers:write',
    body: CreateCustomerBody,
    response: CustomerView,
    status: 201,
    errors: [409],
    idempotencyDb: db,
    // The customer's id is its request's: a retry after the process that registered it died finds
    // it (instead of answering 409 CUSTOMER_PHONE_TAKEN for its own record).
    rerunSafe: true,
    handler: async ({ body, principal, requestKey }) => toCustomerView(principal, await registerCustomer(db, principal, body, { requestKey })),
  });
}
