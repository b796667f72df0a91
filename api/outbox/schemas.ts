import { z } from '../http/zod.js';
import { PageQuery } from '../http/schema-kit.js';

export const EMAIL_STATUSES = ['PENDING', 'SENT', 'HELD', 'FAILED'] as const;

export const EmailView = z
  .object({
    id: z.string(),
    toAddress: z.string(),
    subject: z.string(),
    text: z.string(),
    status: z.enum(EMAIL_STATUSES),
    transport: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .openapi('Email');

export const ListEmailsQuery = PageQuery.extend({ status: z.enum(EMAIL_STATUSES).optional() });

export type EmailStatus = (typeof EMAIL_STATUSES)[number];
export type Email = z.output<typeof EmailView>;
export type ListEmailsQuery = z.input<typeof ListEmailsQuery>;
