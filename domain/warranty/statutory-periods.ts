/**
 * The statutory warranty table of a home in China: which component is covered how long, and by
 * which clause. Two warranties run side by side and the later-ending one wins (see `coverage.ts`):
 *
 * 1. **Construction warranty** (施工保修), 《建设工程质量管理条例》 (State Council Order 279, 2000),
 *    art. 40 — "在正常使用条件下，建设工程的最低保修期限为：
 *      (一) 基础设施工程、房屋建筑的地基基础工程和主体结构工程，为设计文件规定的该工程的合理使用年限；
 *      (二) 屋面防水工程、有防水要求的卫生间、房间和外墙面的防渗漏，为 5 年；
 *      (三) 供热与供冷系统，为 2 个采暖期、供冷期；
 *      (四) 电气管线、给排水管道、设备安装和装修工程，为 2 年。
 *    其他项目的保修期限由发包方与承包方约定。建设工程的保修期，自竣工验收合格之日起计算。"
 *    (《房屋建筑工程质量保修办法》, Ministry of Construction Order 80, art. 7, repeats the list.)
 *
 * 2. **Buyer's warranty** (住宅质量保证书), 《商品房销售管理办法》 (Ministry of Construction Order 88,
 *    2001), art. 33 — "保修期从交付之日起计算。商品住宅的保修期限不得低于建设工程承包单位向建设单位
 *    出具的质量保修书约定保修期的存续期；存续期少于《规定》中确定的最低保修期限的，保修期不得低于
 *    《规定》中确定的最低保修期限。非住宅商品房的保修期限不得低于……存续期。"
 *    《规定》 is 《商品住宅实行住宅质量保证书和住宅使用说明书制度的规定》 (建房〔1998〕102号), art. 5:
 *    "地基基础和主体结构在合理使用寿命年限内承担保修；正常使用情况下各部位、部件保修内容与保修期：
 *    屋面防水 3 年；墙面、厨房和卫生间地面、地下室、管道渗漏 1 年；墙面、顶棚抹灰层脱落 1 年；
 *    地面空鼓开裂、大面积起砂 1 年；门窗翘裂、五金件损坏 1 年；管道堵塞 2 个月；供热、供冷系统和设备
 *    1 个采暖期或供冷期；卫生洁具 1 年；灯具、电器开关 6 个月；其他部位、部件的保修期限，由房地产开发
 *    企业与用户自行约定。"
 *
 * Verification: the wording above was checked against third-party reproductions of the three texts
 * (law Q&A sites and a 1998 municipal implementing rule that copies art. 5), found with the
 * project's search tool on 2026-12-04; not against the official gazettes (国务院公报 / 住建部 site),
 * which were not reachable here. The numbers agree across all reproductions found.
 *
 * What the texts leave open, and how this table reads it:
 * - Electrical lines (电气管线) and equipment installation (设备安装, e.g. lifts) have a construction
 *   period (2 years) but no buyer's minimum in the 1998 list: their buyer's warranty is the
 *   remaining construction period only (art. 33, first half).
 * - The foundation and main structure's buyer's warranty is "the design's service life": read as the
 *   same end as the construction warranty (the building's design life runs from its completion,
 *   not anew from each handover), so both end together.
 * - "Other" components are as agreed (art. 40 last paragraph; art. 5 last item): no statutory
 *   period; only a project's or city's override covers them.
 * - Separate 1998 items that art. 40 does not name (plaster, doors and windows, sanitary ware, lamps)
 *   fall under art. 40 (四) "装修工程 / 设备安装 / 电气管线": 2 years from completion acceptance.
 */

/** The components a warranty period is set for. */
export const WARRANTY_COMPONENTS = [
  'foundation_structure',
  'roof_waterproofing',
  'wet_room_waterproofing',
  'exterior_wall_leakage',
  'heating_cooling',
  'electrical_lines',
  'plumbing_pipes',
  'pipe_blockage',
  'sanitary_fixtures',
  'lamps_switches',
  'doors_windows',
  'plaster_finish',
  'equipment',
  'other',
] as const;

export type WarrantyComponent = (typeof WARRANTY_COMPONENTS)[number];

export function isWarrantyComponent(value: unknown): value is WarrantyComponent {
  return typeof value === 'string' && (WARRANTY_COMPONENTS as readonly string[]).includes(value);
}

/** The clause a coverage follows, in both languages of the screens. */
export interface WarrantyClause {
  code: string;
  zh: string;
  en: string;
}

/**
 * A statutory period: calendar years/months (counted by 《民法典》 arts. 201–203, see `coverage.ts`),
 * the building's design service life, a number of heating/cooling seasons, or none (as agreed).
 */
export type StatutoryPeriod =
  | { kind: 'calendar'; years?: number; months?: number }
  | { kind: 'design_life' }
  | { kind: 'seasons'; count: number }
  | { kind: 'as_agreed' };

export interface StatutoryRule {
  period: StatutoryPeriod;
  clause: WarrantyClause;
}

const ORDER_279 = '《建设工程质量管理条例》第四十条';
const ORDER_279_EN = 'Regulation on the Quality Management of Construction Projects (State Council Order 279), art. 40';
const RULE_1998 = '《商品房销售管理办法》第三十三条、建房〔1998〕102号第五条';
const RULE_1998_EN = 'Measures on Sales of Commodity Housing (Order 88), art. 33, with Jianfang [1998] 102, art. 5';

const construction = (
  code: string,
  period: StatutoryPeriod,
  item: string,
  zhWhat: string,
  enWhat: string,
): StatutoryRule => ({
  period,
  clause: { code: `construction.art40.${code}`, zh: `${ORDER_279}${item}：${zhWhat}`, en: `${ORDER_279_EN}${item === '' ? '' : ` ${item}`}: ${enWhat}` },
});

const buyer = (code: string, period: StatutoryPeriod, zhWhat: string, enWhat: string): StatutoryRule => ({
  period,
  clause: { code: `buyer.minimum.${code}`, zh: `${RULE_1998}：${zhWhat}`, en: `${RULE_1998_EN}: ${enWhat}` },
});

const years = (n: number): StatutoryPeriod => ({ kind: 'calendar', years: n });
const months = (n: number): StatutoryPeriod => ({ kind: 'calendar', months: n });

const ITEM_2 = '（二）';
const ITEM_4 = '（四）';

/** Art. 40's period per component, counted from completion acceptance (竣工验收合格之日). */
export const CONSTRUCTION_WARRANTY: Readonly<Record<WarrantyComponent, StatutoryRule>> = Object.freeze({
  foundation_structure: construction('foundation_structure', { kind: 'design_life' }, '（一）', '地基基础和主体结构，设计文件规定的合理使用年限', 'foundation and main structure, the design service life'),
  roof_waterproofing: construction('roof_waterproofing', years(5), ITEM_2, '屋面防水工程 5 年', 'roof waterproofing, 5 years'),
  wet_room_waterproofing: construction('wet_room_waterproofing', years(5), ITEM_2, '有防水要求的卫生间、房间防渗漏 5 年', 'leakage of bathrooms and rooms with waterproofing, 5 years'),
  exterior_wall_leakage: construction('exterior_wall_leakage', years(5), ITEM_2, '外墙面防渗漏 5 年', 'exterior wall leakage, 5 years'),
  heating_cooling: construction('heating_cooling', { kind: 'seasons', count: 2 }, '（三）', '供热与供冷系统 2 个采暖期、供冷期', 'heating and cooling systems, 2 heating or cooling seasons'),
  electrical_lines: construction('electrical_lines', years(2), ITEM_4, '电气管线 2 年', 'electrical wiring, 2 years'),
  plumbing_pipes: construction('plumbing_pipes', years(2), ITEM_4, '给排水管道 2 年', 'water supply and drainage pipes, 2 years'),
  pipe_blockage: construction('pipe_blockage', years(2), ITEM_4, '给排水管道 2 年', 'water supply and drainage pipes, 2 years'),
  sanitary_fixtures: construction('sanitary_fixtures', years(2), ITEM_4, '设备安装 2 年', 'equipment installation, 2 years'),
  lamps_switches: construction('lamps_switches', years(2), ITEM_4, '电气管线、设备安装 2 年', 'electrical wiring and equipment installation, 2 years'),
  doors_windows: construction('doors_windows', years(2), ITEM_4, '装修工程 2 年', 'decoration works, 2 years'),
  plaster_finish: construction('plaster_finish', years(2), ITEM_4, '装修工程 2 年', 'decoration works, 2 years'),
  equipment: construction('equipment', years(2), ITEM_4, '设备安装 2 年', 'equipment installation, 2 years'),
  other: construction('other', { kind: 'as_agreed' }, '第二款', '其他项目的保修期限由发包方与承包方约定', 'other items as agreed between the parties'),
});

/**
 * The 住宅质量保证书's minimum per component, counted from handover (交付之日). `undefined`: the
 * 1998 list names no minimum for it, so the buyer's warranty is the remaining construction period.
 */
export const BUYER_MINIMUM: Readonly<Record<WarrantyComponent, StatutoryRule | undefined>> = Object.freeze({
  foundation_structure: buyer('foundation_structure', { kind: 'design_life' }, '地基基础和主体结构在合理使用寿命年限内', 'foundation and main structure within the design service life'),
  roof_waterproofing: buyer('roof_waterproofing', years(3), '屋面防水 3 年', 'roof waterproofing, 3 years'),
  wet_room_waterproofing: buyer('wet_room_waterproofing', years(1), '厨房和卫生间地面渗漏 1 年', 'kitchen and bathroom floor leakage, 1 year'),
  exterior_wall_leakage: buyer('exterior_wall_leakage', years(1), '墙面渗漏 1 年', 'wall leakage, 1 year'),
  heating_cooling: buyer('heating_cooling', { kind: 'seasons', count: 1 }, '供热、供冷系统和设备 1 个采暖期或供冷期', 'heating and cooling systems, 1 heating or cooling season'),
  electrical_lines: undefined,
  plumbing_pipes: buyer('plumbing_pipes', years(1), '管道渗漏 1 年', 'pipe leakage, 1 year'),
  pipe_blockage: buyer('pipe_blockage', months(2), '管道堵塞 2 个月', 'pipe blockage, 2 months'),
  sanitary_fixtures: buyer('sanitary_fixtures', years(1), '卫生洁具 1 年', 'sanitary ware, 1 year'),
  lamps_switches: buyer('lamps_switches', months(6), '灯具、电器开关 6 个月', 'lamps and switches, 6 months'),
  doors_windows: buyer('doors_windows', years(1), '门窗翘裂、五金件损坏 1 年', 'doors and windows warping, hardware damage, 1 year'),
  plaster_finish: buyer('plaster_finish', years(1), '墙面、顶棚抹灰层脱落，地面空鼓开裂 1 年', 'wall and ceiling plaster falling off, floor hollowing and cracking, 1 year'),
  equipment: undefined,
  other: undefined,
});

/** The clause of art. 33's first half: the buyer's warranty runs at least to the construction end. */
export const BUYER_REMAINING_CLAUSE: WarrantyClause = Object.freeze({
  code: 'buyer.remaining_construction',
  zh: '《商品房销售管理办法》第三十三条：保修期不得低于施工质量保修期的存续期',
  en: 'Measures on Sales of Commodity Housing (Order 88), art. 33: not shorter than the remaining construction warranty',
});

/** Coverage of an "other" component without an agreed period: none. */
export const NO_STATUTORY_PERIOD_CLAUSE: WarrantyClause = Object.freeze({
  code: 'none.as_agreed',
  zh: '无法定保修期，按约定（未约定）',
  en: 'No statutory period; as agreed (none agreed)',
});

/**
 * The repair categories of the case taxonomy (`domain/cases/categories.ts`) and the component each
 * stands for. A case whose category is not here (or not under one of these) has no component: the
 * case handler picks one. `repair.waterproofing` defaults to wet rooms (bathrooms, kitchens) —
 * the common leak; a roof or exterior wall leak is recorded with its component explicitly.
 */
export const CATEGORY_COMPONENTS: Readonly<Record<string, WarrantyComponent>> = Object.freeze({
  'repair.plumbing': 'plumbing_pipes',
  'repair.plumbing.leak': 'plumbing_pipes',
  'repair.plumbing.blockage': 'pipe_blockage',
  'repair.electrical': 'electrical_lines',
  'repair.electrical.power': 'electrical_lines',
  'repair.electrical.sockets': 'lamps_switches',
  'repair.doors_windows': 'doors_windows',
  'repair.walls_floors': 'plaster_finish',
  'repair.waterproofing': 'wet_room_waterproofing',
  'repair.hvac': 'heating_cooling',
  'repair.common_areas': 'other',
  'repair.common_areas.elevator': 'equipment',
  'complaint.quality.leakage': 'wet_room_waterproofing',
  'complaint.quality.cracks': 'plaster_finish',
  'complaint.quality.hollow_plaster': 'plaster_finish',
  'complaint.quality.doors_windows': 'doors_windows',
  'complaint.quality.finishing': 'plaster_finish',
});

/** The component of a case category: its own entry, else its nearest listed ancestor's, else undefined. */
export function componentOfCategory(code: string): WarrantyComponent | undefined {
  for (let c: string | undefined = code; c; c = c.includes('.') ? c.slice(0, c.lastIndexOf('.')) : undefined) {
    const hit = CATEGORY_COMPONENTS[c];
    if (hit) return hit;
  }
  return undefined;
}
