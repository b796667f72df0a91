import { orNull, z } from '../http/zod.js';
import { CaseListItemView } from '../cases/schemas.js';
import { LeadView } from '../leads/schemas.js';
import { SaleSummaryView } from '../sales/schemas.js';
import { UNIT_STATUSES } from '../org/schemas.js';
import { CONTACT_EVENTS } from '../../domain/customers/contacts.js';
import { CustomerView, Phone } from './schemas.js';

/**
 * The wire contract of a customer's records: the screen-pop of a caller's number
 * (`lookupCustomerByPhone`) and the agent's customer page (`getCustomerRecords`). A separate file
 * from schemas.ts because it is built on the cases', leads' and sales' schemas, which build on
 * the customer's.
 */

export const CUSTOMER_UNIT_RELATIONS = ['owner', 'buyer'] as const;

export const CustomerUnitView = z
  .object({
    id: z.string(),
    label: z.string().describe('`<building> <number>`, as everywhere units are named (1栋 302)'),
    buildingName: z.string(),
    number: z.string(),
    floor: z.number().int(),
    projectId: z.string(),
    projectName: z.string(),
    status: z.enum(UNIT_STATUSES),
    relation: z.enum(CUSTOMER_UNIT_RELATIONS).describe('owner: registered owner (业主) since handover; buyer: held by a live sale of theirs (only for roles that read sales)'),
    saleId: z.string().nullable().describe('The live sale holding the unit, when your role reads it'),
  })
  .openapi('CustomerUnit');

export const CONTACT_KINDS = ['case', 'lead', 'sale'] as const;

export const CustomerContactView = z
  .object({
    at: z.string(),
    kind: z.enum(CONTACT_KINDS).describe('The record the contact belongs to'),
    recordId: z.string(),
    recordNumber: z.string(),
    event: z
      .enum(CONTACT_EVENTS)
      .describe('case.opened: the customer reached us; case.contacted: first contact by the handler; callback.recorded: satisfaction callback; lead.created, lead.touched; sale.subscribed, sale.contract_signed, sale.handed_over'),
    channel: z.string().nullable().describe("The channel (a case's: phone, wechat, app, walk_in, email; a touch's: phone, wechat, sms, email, visit, event) where the record keeps one"),
    actor: z.object({ id: z.string(), name: z.string().nullable() }).describe('Who recorded it (a user; `system` for automatic steps)'),
  })
  .openapi('CustomerContact');

/** At most `limit` records of a kind, and how many there are: null when your role does not read that kind. */
const Capped = <T extends z.ZodType>(item: T, what: string) =>
  orNull(z.object({ items: z.array(item), total: z.number().int().describe(`How many ${what} there are in your scope (items holds at most the limit)`) }));

export const CustomerRecordsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20).describe('At most this many records of each kind'),
});

export const CustomerRecordsView = z
  .object({
    customer: CustomerView,
    cases: Capped(CaseListItemView, 'cases').describe('Newest first; null unless your role reads cases'),
    leads: Capped(LeadView, 'leads').describe('Newest first; null unless your role reads leads'),
    sales: Capped(SaleSummaryView, 'sales').describe('Newest first; null unless your role reads sales'),
    units: z.array(CustomerUnitView).describe('Units of the projects in your scope they own, or that a live sale of theirs holds'),
  })
  .openapi('CustomerRecords');

export const CustomerLookupQuery = z.object({
  phone: Phone,
  cases: z.coerce.number().int().min(1).max(50).default(10).describe('At most this many open cases'),
  contacts: z.coerce.number().int().min(1).max(20).default(5).describe('At most this many last contacts'),
});

export const CustomerLookupView = z
  .object({
    phone: z.string().describe('The number asked, in its canonical form (0571-88886666), masked unless your role calls customers back'),
    customer: orNull(CustomerView).describe('null when no customer of your organisation has this number (a new caller)'),
    openCases: Capped(CaseListItemView, 'open cases').describe('Cases not closed, what breaches first on top; null unless your role reads cases'),
    units: z.array(CustomerUnitView),
    lastContacts: z.array(CustomerContactView).describe('The latest contacts through their cases, leads and sales you may read, newest first'),
  })
  .openapi('CustomerLookup');

export type CustomerUnit = z.output<typeof CustomerUnitView>;
export type CustomerContact = z.output<typeof CustomerContactView>;
export type CustomerRecords = z.output<typeof CustomerRecordsView>;
export type CustomerRecordsQuery = z.input<typeof CustomerRecordsQuery>;
export type CustomerLookup = z.output<typeof CustomerLookupView>;
export type CustomerLookupQuery = z.input<typeof CustomerLookupQuery>;
