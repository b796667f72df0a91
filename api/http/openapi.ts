import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from './zod.js';

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  return registry;
}

export function generateDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Estate Care API / 置业客服与销售系统接口',
      version: '0.1.0',
      description:
        'Case management for customer service and sales. Errors are application/problem+json with a stable `code` (what to act on), ' +
        'a stable `reason` with `params` (exactly what went wrong, for clients that translate it themselves), and a `title` and `detail` ' +
        'in the language of Accept-Language: zh-CN by default, English when the client prefers it. Field errors carry a `code` and `params` too.',
    },
    servers: [{ url: '/' }],
  });
}
export { z };
