import { z } from '../http/zod.js';
import { coded, PageQuery } from '../http/schema-kit.js';
import { parsePhone, PHONE_MAX_INPUT } from '../../domain/customers/phone.js';

/**
 * A phone number as people type it: a mobile, a landline with its area code, or +country code;
 * spaces, dashes, dots, parentheses and full-width characters are ignored. The value passed on is
 * its canonical form (`13800138001`, `0571-88886666`, `+85291234567`); a refusal is a field error
 * with the reason (PHONE_FORMAT, PHONE_MOBILE_LENGTH, PHONE_AREA_CODE_MISSING,
 * PHONE_LOCAL_NUMBER_LENGTH, PHONE_EXTENSION). The rules: domain/customers/phone.ts.
 */
export const Phone = z
  .string()
  .trim()
  .min(1)
  .max(PHONE_MAX_INPUT)
  .transform((s, ctx) => {
    const r = parsePhone(s);
    if (r.ok) return r.phone.canonical;
    ctx.addIssue({ code: 'custom', message: coded(r.reason), ...(r.params ? { params: { values: r.params } } : {}) });
    return z.NEVER;
  })
  .openapi({
    type: 'string',
    minLength: 1,
    maxLength: PHONE_MAX_INPUT,
    examples: ['13800138001', '0571-88886666', '+86 571 8888 6666', '(0571) 8888 6666'],
    description:
      'A mobile number (11 digits), a landline with its area code (0571-88886666), or +country code. Spaces, dashes, dots and parentheses are ignored; no extension. Stored and answered in canonical form: 13800138001, 0571-88886666, +85291234567',
  });

export const CustomerView = z
  .object({
    id: z.string(),
    name: z.string(),
    phone: z.string().describe('Canonical form (13800138001, 0571-88886666); masked (138****5678, 0571-****6666) unless your role calls customers back'),
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

export const ListCustomersQuery = PageQuery.extend({ q: z.string().trim().min(1).max(50).optional().describe('Part of the name, or of the phone number (at least 4 digits, typed any way: 8888 6666, 0571-8888)') });

export type Customer = z.output<typeof CustomerView>;
export type CreateCustomerRequest = z.input<typeof CreateCustomerBody>;
export type ListCustomersQuery = z.input<typeof ListCustomersQuery>;
