import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ApiDeps } from '../context.js';
import { IdParams, defineRoute, pageAnswer, pageOf, skipTake } from '../http/route.js';
import { recordCustomerViews } from '../record-views/record-view-log.js';
import { registerCustomer } from '../../app/customers/register-customer.js';
import { findCustomerOfGroupOrThrow, findCustomersOfGroup } from '../../app/customers/repository.js';
import { toCustomerView } from './customer-view.js';
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
    handler: async ({ body, principal }) => toCustomerView(principal, await registerCustomer(db, principal, body)),
  });
}
