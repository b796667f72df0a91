import { z } from '../http/zod.js';
import { coded } from '../http/errors.js';
import { PageQuery } from '../http/route.js';

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

export const CreateCustomerBody = z
  .object({
    name: z.string().trim().min(1).max(60),
    phone: Phone,
    email: z.email().max(200).optional(),
    consentToContact: z.boolean().default(false),
  })
  .openapi('CreateCustomerRequest');

export const ListCustomersQuery = PageQuery.extend({ q: z.string().trim().min(1).max(50).optional().describe('Part of the name, or of the phone number') });

export type Customer = z.output<typeof CustomerView>;
export type CreateCustomerRequest = z.input<typeof CreateCustomerBody>;
export type ListCustomersQuery = z.input<typeof ListCustomersQuery>;
