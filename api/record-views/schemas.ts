import { orNull, z } from '../http/zod.js';
import { Id, PageQuery } from '../http/schema-kit.js';
import { ROLES } from '../../domain/access.js';

/** What a record view names: whose personal data was shown, in which record. */
export const RECORD_KINDS = ['customer', 'case', 'lead', 'sale', 'workflow-payloads'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];


export const RecordViewItem = z
  .object({
    id: z.string(),
    viewedAt: z.string(),
    viewer: z.object({ id: z.string(), name: z.string().nullable().describe('Display name now'), role: z.enum(ROLES).describe('Role when viewing') }),
    customer: orNull(z.object({ id: z.string(), name: z.string().nullable() })).describe('Null for workflow payloads, which name no customer'),
    record: z.object({
      kind: z.enum(RECORD_KINDS),
      id: z.string().describe('The case, lead or sale; the customer for `customer`; the audit event `temporal-codec:<userId>:<seq>` for `workflow-payloads`'),
      number: z.string().nullable().describe('CS-…, LD-… or SL-… number'),
    }),
    project: orNull(z.object({ id: z.string(), name: z.string().nullable() })),
    contactShown: z.boolean().describe('Contact details shown whole (true) or masked (false)'),
    requestId: z.string().nullable(),
  })
  .openapi('RecordView');

const Period = {
  from: z.iso.datetime({ offset: true }).optional().describe('Viewed at or after'),
  to: z.iso.datetime({ offset: true }).optional().describe('Viewed before'),
};

export const RecordViewsQuery = PageQuery.extend({
  userId: Id.optional().describe('Views by this user'),
  customerId: Id.optional().describe("Views of this customer's record"),
  kind: z.enum(RECORD_KINDS).optional(),
  projectId: Id.optional().describe('Views made through cases, leads and sales of this project'),
  ...Period,
});

export const CustomerRecordViewsQuery = PageQuery.extend(Period);

export type RecordView = z.output<typeof RecordViewItem>;
export type RecordViewsQuery = z.input<typeof RecordViewsQuery>;
export type CustomerRecordViewsQuery = z.input<typeof CustomerRecordViewsQuery>;
