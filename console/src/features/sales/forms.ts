/**
 * The sales forms' schemas: the server's own body schemas (api/sales/schemas.ts,
 * api/customers/schemas.ts), so the browser checks with the server's rules and error codes before
 * sending. The new-sale form registers a new buyer first (CreateCustomerBody) and then opens the
 * sale (CreateSaleBody); both are checked together before anything is sent.
 */
import { z } from 'zod';
import { CreateCustomerBody } from '../../../../api/customers/schemas.js';
import { fieldErrorsFromZod } from '../../../../api/http/field-errors.js';
import { CreateSaleBody } from '../../../../api/sales/schemas.js';
import { PAYMENT_METHODS } from '../../../../domain/sales/types.js';

/** Thousands separators and spaces people type in amounts ("2,350,000"); the server's Money takes digits. */
export const plainAmount = (text: string | undefined): string | undefined => {
  const s = (text ?? '').replace(/[,\s，]/g, '');
  return s === '' ? undefined : s;
};

/** Empty text is a value not given (an optional field left blank). */
const given = (text: string | undefined): string | undefined => (text === undefined || text.trim() === '' ? undefined : text);

/** Stands for the buyer registered on submit, so CreateSaleBody can check everything else first. */
const NEW_BUYER = 'new-buyer';

/**
 * The new-sale form's values as typed, checked with CreateCustomerBody (a new buyer) and
 * CreateSaleBody. Their issues land on the form's fields with the server's codes; an empty
 * required field reads "required" whatever the schema's first complaint about it.
 */
export const NewSaleForm = z
  .object({
    projectId: z.string(),
    customerId: z.string().optional(),
    phone: z.string().optional(),
    name: z.string().optional(),
    email: z.string().optional(),
    consentToContact: z.boolean().optional(),
    unitId: z.string().optional(),
    price: z.string().optional(),
    deposit: z.string().optional(),
    paymentMethod: z.enum(PAYMENT_METHODS),
    ownerId: z.string().optional(),
  })
  .transform((v, ctx) => {
    const forward = (error: z.ZodError, field: (path: string) => string) => {
      for (const f of fieldErrorsFromZod(error, '')) {
        const path = field(f.path);
        const typed = (v as Record<string, unknown>)[path];
        const empty = typed === undefined || (typeof typed === 'string' && typed.trim() === '');
        ctx.addIssue({ code: 'custom', path: [path], message: empty ? 'REQUIRED' : f.reason, params: { values: empty ? {} : f.params } });
      }
    };
    if (v.projectId.trim() === '') ctx.addIssue({ code: 'custom', path: ['projectId'], message: 'REQUIRED', params: { values: {} } });

    let customer: z.output<typeof CreateCustomerBody> | undefined;
    if (!v.customerId) {
      const checked = CreateCustomerBody.safeParse(
        { name: v.name ?? '', phone: v.phone ?? '', email: given(v.email), consentToContact: v.consentToContact ?? false },
        { reportInput: true },
      );
      if (checked.success) customer = checked.data;
      else forward(checked.error, (path) => path);
    }
    const sale = CreateSaleBody.safeParse(
      {
        customerId: v.customerId ?? NEW_BUYER,
        unitId: v.unitId,
        price: plainAmount(v.price),
        deposit: plainAmount(v.deposit),
        paymentMethod: v.paymentMethod,
        ownerId: given(v.ownerId),
      },
      { reportInput: true },
    );
    // The buyer is the phone and name the user typed or linked: a refusal of it shows at the phone.
    if (!sale.success) forward(sale.error, (path) => (path === 'customerId' ? 'phone' : path));
    if (!sale.success || (!v.customerId && !customer) || v.projectId.trim() === '') return z.NEVER;
    const { customerId: _buyer, ...rest } = sale.data;
    return { projectId: v.projectId, customerId: v.customerId, customer, sale: rest };
  });

export type NewSaleValues = z.input<typeof NewSaleForm>;
