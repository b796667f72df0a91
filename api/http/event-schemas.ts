import { z } from './schema-kit.js';

/**
 * The wire shape of every process's audit trail (cases, leads, sales), written once: an event with
 * its actor by name, and a page of them with the names of the colleagues they mention
 * (app/audit/event-page.ts builds it). Each process registers it under its own component name.
 */
export const auditEventViewOf = (name: string) =>
  z
    .object({
      seq: z.number().int(),
      type: z.string(),
      actor: z.string().describe('A user id, or `system` for timers'),
      actorName: z.string().nullable().describe("The acting colleague's display name (null for `system` or a user no longer known)"),
      at: z.string(),
      data: z.unknown(),
    })
    .openapi(name);

export const auditEventPageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    names: z.record(z.string(), z.string()).describe('Display names of the users the events mention, by id'),
  });
