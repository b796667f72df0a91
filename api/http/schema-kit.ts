/**
 * The building blocks of the wire schemas (`api/<module>/schemas.ts`): zod with the OpenAPI
 * extension, ids, pages, and `coded` refinement messages. Pure — no Express, no database — so the
 * console bundles the same schemas and checks a form with the server's own rules before submitting.
 */
import { z } from './zod.js';
import type { ErrorReason } from './error-catalogue.js';

export { z, orNull } from './zod.js';

/** A record's id as routes take it (`/api/leads/:id`): opaque, never empty, at most 64 characters. */
export const Id = z.string().min(1).max(64);
export const IdParams = z.object({ id: Id });

/** Pagination every list shares: `?page=1&pageSize=20` → `{items, total, page, pageSize}`. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export type PageParams = z.output<typeof PageQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

/** A page of `T` as a `pageOf` schema answers it: `Page<Case>` is `z.infer<typeof pageOf(CaseView)>`. */
export type Page<T> = z.output<ReturnType<typeof pageOf<z.ZodType<T>>>>;


/**
 * A schema check's message that names a reason: `.regex(re, coded('PHONE_FORMAT'))`,
 * `ctx.addIssue({ code: 'custom', path: ['deposit'], message: coded('DEPOSIT_EXCEEDS_PRICE') })`.
 * The issue then becomes a field error with that code; a custom issue passes the values its
 * template names as `params: { values: {…} }`.
 */
export const coded = (reason: ErrorReason): string => reason;
