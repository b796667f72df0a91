import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Adds `.openapi()` to zod schemas. Every API module imports `z` from here so the extension is in
// place before any schema is declared, whatever the import order.
extendZodWithOpenApi(z);
export { z };
