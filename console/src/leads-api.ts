/**
 * Moved to features/leads/api.ts (issue 13, feature folders). Kept as a re-export for the pages of
 * other features (sales settings) until they move too.
 */
export { leadsApi } from './features/leads/api.js';
export type * from './features/leads/api.js';
