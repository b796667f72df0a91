import type { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Principal } from '../../domain/access.js';
import type { ApiDeps } from '../context.js';
import { outboxError } from '../../app/outbox/errors.js';
import { IdParams, defineRoute, pageAnswer, pageOf, skipTake } from '../http/route.js';
import { findEmailOfGroup, findEmailsOfGroup } from '../../app/outbox/repository.js';
import { EmailView, ListEmailsQuery, type Email, type EmailStatus } from './schemas.js';

type EmailRow = {
  id: string;
  toAddress: string;
  subject: string;
  text: string;
  status: EmailStatus;
  transport: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
};

const toEmailView = (e: EmailRow): Email => ({
  id: e.id,
  toAddress: e.toAddress,
  subject: e.subject,
  text: e.text,
  status: e.status,
  transport: e.transport,
  attempts: e.attempts,
  lastError: e.lastError,
  createdAt: e.createdAt.toISOString(),
  sentAt: e.sentAt?.toISOString() ?? null,
});

// Emails span every company of the group, so only a group-wide administrator reads them.
function assertGroupAdmin(p: Principal) {
  if (p.scopeLevel !== 'GROUP') throw outboxError('OUTBOX_GROUP_ADMIN_ONLY');
}

export function registerOutboxRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/outbox',
    operationId: 'listOutboxEmails',
    summary: 'Every email the system sent or holds (development outbox) / 发件箱',
    tags: ['email'],
    access: 'outbox:read',
    query: ListEmailsQuery,
    response: pageOf(EmailView),
    async handler({ query, principal }) {
      assertGroupAdmin(principal);
      // Emails not tied to one organisation (platform notices) are shown to every group administrator.
      const { rows, total } = await findEmailsOfGroup(db, principal.groupId, query.status, skipTake(query));
      return pageAnswer(query, rows.map(toEmailView), total);
    },
  });
  defineRoute(router, registry, {
    method: 'get',
    path: '/api/outbox/:id',
    operationId: 'getOutboxEmail',
    summary: 'One email / 邮件详情',
    tags: ['email'],
    access: 'outbox:read',
    params: IdParams,
    response: EmailView,
    async handler({ params, principal }) {
      assertGroupAdmin(principal);
      const e = await findEmailOfGroup(db, principal.groupId, params.id);
      if (!e) throw outboxError('EMAIL_NOT_FOUND');
      return toEmailView(e);
    },
  });
}
