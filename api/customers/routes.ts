import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from '../http/zod.js';
import { coded } from '../http/errors.js';
import { hasPermission, maskPhone, type Principal } from '../../domain/access.js';
import type { ApiDeps } from '../context.js';
import { customerError } from '../../app/customers/errors.js';
import { PageQuery, defineRoute, pageOf, skipTake } from '../http/route.js';
import { recordCustomerViews } from '../record-views/record-view-log.js';

const Id = z.string().min(1).max(64);

/** Mainland mobile (11 digits starting with 1) or an international number with country code. */
export const Phone = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^(1\d{10}|\+\d{7,15})$/, coded('PHONE_FORMAT')))
  // The rule on the raw input (spaces and dashes anywhere), so the document says what is accepted
  // instead of "any string"; other whitespace, which the API also ignores, is left out of it.
  .openapi({
    type: 'string',
    pattern: '^[ -]*(1([ -]*[0-9]){10}|\\+([ -]*[0-9]){7,15})[ -]*$',
    description: 'A mainland mobile number (11 digits) or +country code number; spaces and dashes are ignored',
  });

export const CustomerView = z
  .object({
    id: z.string(),
    name: z.string(),
    phone: z.string().describe('Masked (138****5678) unless your role calls customers back'),
    email: z.string().nullable(),
    consentToContact: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('Customer');

const CreateCustomerBody = z
  .object({
    name: z.string().trim().min(1).max(60),
    phone: Phone,
    email: z.email().max(200).optional(),
    consentToContact: z.boolean().default(false),
  })
  .openapi('CreateCustomerRequest');

export function toCustomerView(
  principal: Principal,
  c: { id: string; name: string; phone: string; email: string | null; consentToContact: boolean; createdAt: Date },
): z.infer<typeof CustomerView> {
  return {
    id: c.id,
    name: c.name,
    phone: hasPermission(principal.role, 'customers:read-contact') ? c.phone : maskPhone(c.phone),
    email: c.email,
    consentToContact: c.consentToContact,
    createdAt: c.createdAt.toISOString(),
  };
}

export function registerCustomerRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/customers',
    summary: 'Search customers / 客户列表',
    tags: ['customers'],
    access: 'customers:read',
    query: PageQuery.extend({ q: z.string().trim().min(1).max(50).optional() }),
    response: pageOf(CustomerView),
    async handler({ query, principal }) {
      const digits = query.q?.replace(/[\s-]/g, '');
      const where = {
        groupId: principal.groupId,
        ...(query.q
          ? { OR: [{ name: { contains: query.q } }, ...(digits && /^\+?\d{4,}$/.test(digits) ? [{ phone: { contains: digits } }] : [])] }
          : {}),
      };
      const [rows, total] = await Promise.all([
        db.customer.findMany({ where, orderBy: { createdAt: 'desc' }, ...skipTake(query) }),
        db.customer.count({ where }),
      ]);
      return { items: rows.map((c) => toCustomerView(principal, c)), total, page: query.page, pageSize: query.pageSize };
    },
  });

  defineRoute(router, registry, {
    method: 'get',
    path: '/api/customers/:id',
    summary: 'One customer / 客户详情',
    tags: ['customers'],
    access: 'customers:read',
    params: z.object({ id: Id }),
    response: CustomerView,
    async handler({ params, principal, req }) {
      const c = await db.customer.findFirst({ where: { id: params.id, groupId: principal.groupId } });
      if (!c) throw customerError('CUSTOMER_NOT_FOUND');
      const view = toCustomerView(principal, c);
      await recordCustomerViews(db, principal, req, [{ customerId: c.id, recordKind: 'customer', recordId: c.id, companyId: null, projectId: null }]);
      return view;
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: '/api/customers',
    summary: 'Register a customer / 新建客户',
    tags: ['customers'],
    access: 'customers:write',
    body: CreateCustomerBody,
    response: CustomerView,
    status: 201,
    errors: [409],
    idempotencyDb: db,
    async handler({ body, principal }) {
      const existing = await db.customer.findFirst({ where: { groupId: principal.groupId, phone: body.phone } });
      if (existing) throw customerError('CUSTOMER_PHONE_TAKEN', { customerId: existing.id });
      const c = await db.customer.create({
        data: { groupId: principal.groupId, name: body.name, phone: body.phone, email: body.email ?? null, consentToContact: body.consentToContact },
      });
      return toCustomerView(principal, c);
    },
  });
}
