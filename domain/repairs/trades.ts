/**
 * The trade (专业) of a work order: which kind of contractor answers for the defect and which kind
 * of technician fixes it. It is read from the warranty component of the case's category
 * (domain/warranty/category-components.ts, the administrators' own rules included), so the two
 * bridges from the service centre's taxonomy cannot disagree: a leak that is wet-room waterproofing
 * for the warranty is the waterproofing contractor's for the charge-back.
 *
 * `contractor_responsibility.trade` holds these codes.
 */
import { componentOfCategory, type CategoryComponentRule } from '../warranty/category-components.js';
import type { WarrantyComponent } from '../warranty/statutory-periods.js';

export const TRADES = ['waterproofing', 'plumbing', 'electrical', 'hvac', 'structure', 'doors_windows', 'decoration', 'equipment', 'general'] as const;
export type Trade = (typeof TRADES)[number];

/** The trade answering for each warranty component (防水 / 给排水 / 电气 / 暖通 / 主体结构 / 门窗 / 装修 / 设备). */
export const TRADE_OF_COMPONENT: Readonly<Record<WarrantyComponent, Trade>> = Object.freeze({
  foundation_structure: 'structure',
  roof_waterproofing: 'waterproofing',
  wet_room_waterproofing: 'waterproofing',
  exterior_wall_leakage: 'waterproofing',
  heating_cooling: 'hvac',
  electrical_lines: 'electrical',
  plumbing_pipes: 'plumbing',
  pipe_blockage: 'plumbing',
  sanitary_fixtures: 'plumbing',
  lamps_switches: 'electrical',
  doors_windows: 'doors_windows',
  plaster_finish: 'decoration',
  equipment: 'equipment',
  other: 'general',
});

/** The trade of a category: its warranty component's, or `general` when no rule covers it. */
export function tradeOfCategory({ code, rules }: { code: string; rules?: readonly CategoryComponentRule[] }): Trade {
  const component = componentOfCategory(rules ? { code, rules } : { code });
  return component ? TRADE_OF_COMPONENT[component] : 'general';
}
