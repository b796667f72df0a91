import { z } from '../http/zod.js';
import { ROLES } from '../../domain/access.js';
import { HOME_COUNT_KEYS, HOME_LIST_OPERATIONS } from '../../domain/home.js';

/** The home page's contract: the principal's counts, each with the list that shows its records. */
export const HomeCountView = z
  .object({
    key: z.enum(HOME_COUNT_KEYS).describe('Stable name of the count (the console words it)'),
    count: z.number().int().describe('How many records the linked list holds right now (its `total`)'),
    list: z
      .object({
        operationId: z.enum(HOME_LIST_OPERATIONS).describe('The list operation that shows these records'),
        path: z.string().describe('Its path, e.g. /api/cases'),
        query: z.record(z.string(), z.string()).describe('Its query parameters (`me` stands for the caller), e.g. {assigneeId: "me", overdue: "true"}'),
      })
      .describe('The list whose total is `count`'),
  })
  .openapi('HomeCount');

export const HomeView = z
  .object({
    role: z.enum(ROLES),
    counts: z.array(HomeCountView).describe('The counts that matter for the role, in the order to show them (none for administrators)'),
  })
  .openapi('Home');

export type HomeCount = z.output<typeof HomeCountView>;
export type Home = z.output<typeof HomeView>;
