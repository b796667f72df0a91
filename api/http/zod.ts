import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Adds `.openapi()` to zod schemas. Every API module imports `z` from here so the extension is in
// place before any schema is declared, whatever the import order.
extendZodWithOpenApi(z);
export { z };

/**
 * `schema | null` for a schema registered with `.openapi('Name')`. zod-to-openapi 8 renders
 * `Named.nullable()` in OpenAPI 3.1 either as a bare `$ref` (null silently dropped) or as
 * `allOf: [$ref, {type: [object, null]}]`, which no null satisfies; the document then forbids the
 * nulls the API sends (found by the schemathesis run, test/fuzz). A union renders as
 * `anyOf: [$ref, {type: 'null'}]`.
 */
export function orNull<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.null()]);
}
