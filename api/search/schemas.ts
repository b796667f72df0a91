import { orNull, z } from '../http/zod.js';
import { SEARCH_MAX_LENGTH } from '../../domain/search/search-query.js';

/** The wire contract of the one search box (`searchRecords`). */

export const SEARCH_KINDS = ['customer', 'case', 'lead', 'sale', 'unit'] as const;
export const SEARCH_MATCHES = ['name', 'phone', 'number', 'unit'] as const;

export const SearchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(SEARCH_MAX_LENGTH)
    .describe(
      'What was typed: a name; a phone number or four digits of one, any format (0571 8888-6666, 138 0013); a case, lead or sale number or part of it (CS-20261122-0001, cs2026, 20261122-0001); a unit (1-302, 1栋302, 1幢302室, A座1203, 302)',
    ),
  limit: z.coerce.number().int().min(1).max(20).default(5).describe('At most this many results of each kind'),
});

export const SearchHitView = z
  .object({
    kind: z.enum(SEARCH_KINDS),
    id: z.string().describe('Opens the record: /api/customers/{id}, /api/cases/{id}, /api/leads/{id}, /api/sales/{id}; a unit’s id'),
    label: z.string().describe("What the record is called: the customer's name, the case, lead or sale number, the unit as `<building> <number>`"),
    secondary: z
      .string()
      .nullable()
      .describe("Who it is about: a customer's phone (masked unless your role calls customers back); a case's or lead's customer name; a sale's buyer; a unit's owner (业主)"),
    status: z.string().nullable().describe("The case's or lead's status, the sale's stage, the unit's status; null for customers"),
    matched: z.enum(SEARCH_MATCHES).describe('What the text matched'),
    projectId: z.string().nullable(),
    projectName: z.string().nullable(),
    customerId: z.string().nullable().describe("The customer the record is about (the customer's own id for a customer; a unit's owner)"),
    at: z.string().nullable().describe('When the case was opened, the lead or sale created, the customer registered; null for units'),
  })
  .openapi('SearchHit');

const SearchGroup = orNull(
  z.object({
    items: z.array(SearchHitView),
    total: z.number().int().describe('How many records of this kind match in your scope'),
    more: z.boolean().describe('true when total is more than the items shown'),
  }),
).describe('null when your role does not read this kind of record');

export const SearchResultView = z
  .object({
    q: z.string().describe('The text searched (trimmed)'),
    customers: SearchGroup,
    cases: SearchGroup,
    leads: SearchGroup,
    sales: SearchGroup,
    units: SearchGroup,
  })
  .openapi('SearchResult');

export type SearchKind = (typeof SEARCH_KINDS)[number];
export type SearchMatch = (typeof SEARCH_MATCHES)[number];
export type SearchHit = z.output<typeof SearchHitView>;
export type SearchResult = z.output<typeof SearchResultView>;
export type SearchRequest = z.input<typeof SearchQuery>;
