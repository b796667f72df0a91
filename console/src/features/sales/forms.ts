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

type IssueContext = z.RefinementCtx<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A server schema's complaints as issues of the form's own fields (`rename` maps a body path to a
 * field), with the server's codes. An empty required field reads "required" whatever the schema's
 * first complaint about it (an empty amount is not "an amount in the wrong format").
 */
function forwardIssues(ctx: IssueContext, error: z.ZodError, values: unknown, rename: (path: string) => string = (p) => p): void {
  for (const f of fieldErrorsFromZod(error, '')) {
    const path = rename(f.path);
    let typed: unknown = values;
    for (const part of path.split('.')) typed = (typed as Record<string, unknown> | undefined)?.[part];
    const empty = typed === undefined || typed === null || (typeof typed === 'string' && typed.trim() === '');
    ctx.addIssue({ code: 'custom', path: path.split('.'), message: empty ? 'REQUIRED' : f.reason, params: { values: empty ? {} : f.params } });
  }
}

/**
 * A server body schema for a step form: the same rules and codes (forwardIssues), so an empty
 * required field says so. Typed as the schema itself.
 */
export function bodyForm<S extends z.ZodType>(schema: S): z.ZodType<z.output<S>, z.input<S>> {
  return z.any().transform((v, ctx) => {
    const checked = schema.safeParse(v, { reportInput: true });
    if (checked.success) return checked.data;
    forwardIssues(ctx, checked.error, v);
    return z.NEVER;
  }) as unknown as z.ZodType<z.output<S>, z.input<S>>;
}

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
    const forward = (error: z.ZodError, rename?: (path: string) => string) => forwardIssues(ctx, error, v, rename);
    if (v.projectId.trim() === '') ctx.addIssue({ code: 'custom', path: ['projectId'], message: 'REQUIRED', params: { values: {} } });

    let customer: z.output<typeof CreateCustomerBody> | undefined;
    if (!v.customerId) {
      const checked = CreateCustomerBody.safeParse(
        { name: v.name ?? '', phone: v.phone ?? '', email: given(v.email), consentToContact: v.consentToContact ?? false },
        { reportInput: true },
      );
      if (checked.success) customer = checked.data;
      else forward(checked.error);
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
