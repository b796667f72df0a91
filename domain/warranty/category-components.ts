import { isWithinCategory } from '../cases/categories.js';
import type { WarrantyComponent } from './statutory-periods.js';

/**
 * Which warranty component a case's category is about: the bridge from the service centre's
 * taxonomy (domain/cases/categories.ts) to the statutory table. A rule names a category prefix; the
 * longest prefix that covers the case's category wins, so `repair.plumbing.blockage` (pipe
 * blockage, 2 months for the buyer) beats `repair.plumbing` (pipes, 1 year). A category no rule
 * covers (service complaints, enquiries, suggestions) has no warranty question: the case shows
 * none. Administrators replace the list per group (the `warranty` settings document), for their own
 * categories or a different reading (e.g. cracks as structural).
 */
export interface CategoryComponentRule {
  /** A category code or prefix, on whole segments (see isWithinCategory). */
  prefix: string;
  component: WarrantyComponent;
}

/**
 * The defaults, read from the handbook's tree against art. 40 / the 1998 list:
 * - leakage complaints are wet-room waterproofing (5 years construction, 1 year buyer's minimum) —
 *   the commonest leak; a roof or exterior-wall leak is re-filed under its own rule by the handler;
 * - cracks, hollow plaster and interior finishing are the plaster and floor finish (地面空鼓开裂,
 *   抹灰层脱落): a crack judged structural is a `foundation_structure` matter and is re-categorised;
 * - switches and sockets are "灯具、电器开关" (6 months), other electrical faults the wiring;
 * - lifts and other common-area plant are equipment installation.
 */
export const DEFAULT_CATEGORY_COMPONENTS: readonly CategoryComponentRule[] = Object.freeze([
  { prefix: 'complaint.quality.leakage', component: 'wet_room_waterproofing' },
  { prefix: 'complaint.quality.cracks', component: 'plaster_finish' },
  { prefix: 'complaint.quality.hollow_plaster', component: 'plaster_finish' },
  { prefix: 'complaint.quality.doors_windows', component: 'doors_windows' },
  { prefix: 'complaint.quality.finishing', component: 'plaster_finish' },
  { prefix: 'repair.plumbing', component: 'plumbing_pipes' },
  { prefix: 'repair.plumbing.leak', component: 'plumbing_pipes' },
  { prefix: 'repair.plumbing.blockage', component: 'pipe_blockage' },
  { prefix: 'repair.electrical', component: 'electrical_lines' },
  { prefix: 'repair.electrical.sockets', component: 'lamps_switches' },
  { prefix: 'repair.doors_windows', component: 'doors_windows' },
  { prefix: 'repair.walls_floors', component: 'plaster_finish' },
  { prefix: 'repair.waterproofing', component: 'wet_room_waterproofing' },
  { prefix: 'repair.hvac', component: 'heating_cooling' },
  { prefix: 'repair.common_areas.elevator', component: 'equipment' },
] satisfies CategoryComponentRule[]);

/** The component of a category by the longest covering prefix, or null when no rule covers it. */
export function componentOfCategory({ code, rules = DEFAULT_CATEGORY_COMPONENTS }: { code: string; rules?: readonly CategoryComponentRule[] }): WarrantyComponent | null {
  let best: CategoryComponentRule | null = null;
  for (const rule of rules) {
    if (!isWithinCategory({ code, prefix: rule.prefix })) continue;
    if (!best || rule.prefix.length > best.prefix.length) best = rule;
  }
  return best?.component ?? null;
}
