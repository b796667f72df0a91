import { joinPath, type Parsed, type ValidationIssue } from './errors.js';
import { isCaseType, type CaseType } from './types.js';

/**
 * The case taxonomy. A category's code spells its path (`complaint.quality.leakage`), so an SLA
 * policy can address a whole branch by a code prefix, and reports can roll up by any level
 * without a join. `parent` repeats what the code says; validation keeps the two in agreement.
 */
export interface Category {
  code: string;
  name: { zh: string; en: string };
  parent?: string;
}

const SEGMENT = '[a-z][a-z0-9_]*';
const CODE = new RegExp(`^${SEGMENT}(\\.${SEGMENT})*$`);

/** True for a syntactically valid code: lower-case segments joined by dots. */
export function isCategoryCode(code: unknown): code is string {
  return typeof code === 'string' && CODE.test(code);
}

/**
 * True when `code` is `prefix` or lies under it, on whole segments: `complaint.quality` covers
 * `complaint.quality.leakage` but not `complaint.qualityx`. The empty prefix covers everything.
 */
export function isWithinCategory({ code, prefix }: { code: string; prefix: string }): boolean {
  if (prefix === '') return true;
  return code === prefix || code.startsWith(`${prefix}.`);
}

/** The parent code a code implies, or undefined for a root. */
export function parentCodeOf(code: string): string | undefined {
  const dot = code.lastIndexOf('.');
  return dot < 0 ? undefined : code.slice(0, dot);
}

const c = (code: string, zh: string, en: string): Category => {
  const parent = parentCodeOf(code);
  return Object.freeze({ code, name: Object.freeze({ zh, en }), ...(parent ? { parent } : {}) });
};

/** The default tree, from the customer-service handbook; administrators extend it per group. */
export const DEFAULT_CATEGORIES: readonly Category[] = Object.freeze([
  c('complaint', '投诉', 'Complaint'),
  c('complaint.quality', '工程质量', 'Building quality'),
  c('complaint.quality.leakage', '渗漏', 'Leakage'),
  c('complaint.quality.cracks', '墙体开裂', 'Cracks'),
  c('complaint.quality.hollow_plaster', '空鼓', 'Hollow plaster'),
  c('complaint.quality.doors_windows', '门窗质量', 'Doors and windows'),
  c('complaint.quality.finishing', '装修质量', 'Interior finishing'),
  c('complaint.service', '物业服务', 'Property service'),
  c('complaint.service.cleaning', '保洁', 'Cleaning'),
  c('complaint.service.security', '安保', 'Security'),
  c('complaint.service.landscaping', '园林绿化', 'Landscaping'),
  c('complaint.service.parking', '停车管理', 'Parking'),
  c('complaint.service.fees', '物业收费', 'Service fees'),
  c('complaint.delivery', '交付', 'Delivery'),
  c('complaint.delivery.delay', '延期交付', 'Late delivery'),
  c('complaint.delivery.area_difference', '面积差异', 'Area difference'),
  c('complaint.delivery.documents', '产权办证', 'Title documents'),
  c('complaint.sales', '销售承诺', 'Sales promises'),
  c('complaint.sales.misrepresentation', '虚假宣传', 'Misrepresentation'),
  c('repair', '报修', 'Repair'),
  c('repair.plumbing', '给排水', 'Plumbing'),
  c('repair.plumbing.leak', '管道漏水', 'Pipe leak'),
  c('repair.plumbing.blockage', '下水堵塞', 'Blocked drain'),
  c('repair.electrical', '电气', 'Electrical'),
  c('repair.electrical.power', '断电跳闸', 'Power failure'),
  c('repair.electrical.sockets', '开关插座', 'Switches and sockets'),
  c('repair.doors_windows', '门窗', 'Doors and windows'),
  c('repair.walls_floors', '墙地面', 'Walls and floors'),
  c('repair.waterproofing', '防水', 'Waterproofing'),
  c('repair.hvac', '暖通空调', 'Heating and air conditioning'),
  c('repair.common_areas', '公共区域', 'Common areas'),
  c('repair.common_areas.elevator', '电梯', 'Elevator'),
  c('enquiry', '咨询', 'Enquiry'),
  c('enquiry.sales', '销售咨询', 'Sales'),
  c('enquiry.handover', '交付入伙', 'Handover'),
  c('enquiry.property_fees', '物业费', 'Property fees'),
  c('enquiry.certificates', '产权证书', 'Title certificates'),
  c('enquiry.warranty', '保修政策', 'Warranty'),
  c('suggestion', '建议', 'Suggestion'),
  c('suggestion.layout', '户型设计', 'Layout'),
  c('suggestion.facilities', '配套设施', 'Facilities'),
  c('suggestion.service', '服务改进', 'Service'),
]);

/** True when the code names a node of the taxonomy (any level). */
export function isValidCategory({ code, categories = DEFAULT_CATEGORIES }: { code: string; categories?: readonly Category[] }): boolean {
  return categories.some((cat) => cat.code === code);
}

/** True when the code names a node with no children: the level an agent should usually pick. */
export function isLeafCategory({ code, categories = DEFAULT_CATEGORIES }: { code: string; categories?: readonly Category[] }): boolean {
  return isValidCategory({ code, categories }) && !categories.some((cat) => cat.parent === code);
}

/** Root-to-node chain of a code (for breadcrumbs and roll-ups); empty when the code is unknown. */
export function categoryPath({ code, categories = DEFAULT_CATEGORIES }: { code: string; categories?: readonly Category[] }): Category[] {
  const byCode = new Map(categories.map((cat) => [cat.code, cat] as const));
  if (!byCode.has(code)) return [];
  const path: Category[] = [];
  for (let cur: string | undefined = code; cur !== undefined; cur = parentCodeOf(cur)) {
    const node = byCode.get(cur);
    if (!node) return [];
    path.unshift(node);
  }
  return path;
}

// ------------------------------------------------------------------------------------------
// One type drives the tree: which categories a case of a type may be filed under.

/**
 * The case type whose tree a root category belongs to: a root named after a type (`complaint`,
 * `repair`, `enquiry`) is that type's; any other root (the handbook's `suggestion` 建议, or a root
 * an administrator adds) is an enquiry's, the general-purpose type, whose SLA policies then apply.
 */
export function caseTypeOfRoot(root: string): CaseType {
  return isCaseType(root) ? root : 'enquiry';
}

/** The case type a category is filed under: its root's (see caseTypeOfRoot). */
export function caseTypeOfCategory(code: string): CaseType {
  const dot = code.indexOf('.');
  return caseTypeOfRoot(dot < 0 ? code : code.slice(0, dot));
}

/**
 * The categories a case of `type` may take: those whose root is the type's. A taxonomy with no
 * branch of that type at all (an administrator's tree not organised by type) offers its whole
 * tree to the type, so it can still be filed: there is nothing there to contradict.
 */
export function categoriesOfType({ type, categories = DEFAULT_CATEGORIES }: { type: CaseType; categories?: readonly Category[] }): Category[] {
  const own = categories.filter((cat) => caseTypeOfCategory(cat.code) === type);
  return own.length > 0 ? own : [...categories];
}

/** True when a case of `type` may be filed under `code` (a node of the taxonomy in the type's tree). */
export function isCategoryOfType({ code, type, categories = DEFAULT_CATEGORIES }: { code: string; type: CaseType; categories?: readonly Category[] }): boolean {
  return categoriesOfType({ type, categories }).some((cat) => cat.code === code);
}

/** A node of the category tree as pickers show it: its code, names, type, and its children in the taxonomy's order. */
export interface CategoryNode {
  code: string;
  name: { zh: string; en: string };
  caseType: CaseType;
  leaf: boolean;
  children: CategoryNode[];
}

/** The taxonomy (or a part of it, e.g. one type's) as a tree of its roots, in the order given. */
export function categoryTree(categories: readonly Category[]): CategoryNode[] {
  const codes = new Set(categories.map((cat) => cat.code));
  const children = new Map<string, Category[]>();
  const roots: Category[] = [];
  for (const cat of categories) {
    const parent = parentCodeOf(cat.code);
    if (parent !== undefined && codes.has(parent)) children.set(parent, [...(children.get(parent) ?? []), cat]);
    else roots.push(cat);
  }
  const node = (cat: Category): CategoryNode => {
    const kids = (children.get(cat.code) ?? []).map(node);
    return { code: cat.code, name: { zh: cat.name.zh, en: cat.name.en }, caseType: caseTypeOfCategory(cat.code), leaf: kids.length === 0, children: kids };
  };
  return roots.map(node);
}

/**
 * Validates an administrator's taxonomy: codes well formed and unique, every node's parent present
 * and equal to the code minus its last segment, both names given.
 */
export function parseCategories(input: unknown): Parsed<Category[]> {
  if (!Array.isArray(input)) return { ok: false, errors: [{ path: '', message: 'categories must be a list' }] };
  const errors: ValidationIssue[] = [];
  const codes = new Set<string>();
  for (const entry of input) {
    if (entry && typeof entry === 'object' && isCategoryCode((entry as Category).code)) codes.add((entry as Category).code);
  }
  const seen = new Set<string>();
  const value: Category[] = [];
  input.forEach((entry: unknown, i: number) => {
    const path = String(i);
    if (!entry || typeof entry !== 'object') return errors.push({ path, message: 'a category is {code, name: {zh, en}, parent?}' });
    const { code, name, parent } = entry as Record<string, unknown>;
    const before = errors.length;
    if (!isCategoryCode(code)) {
      errors.push({ path: joinPath(path, 'code'), message: `${String(code)} is not a code like complaint.quality.leakage` });
    } else {
      if (seen.has(code)) errors.push({ path: joinPath(path, 'code'), message: `${code} is listed twice` });
      seen.add(code);
      const implied = parentCodeOf(code);
      if (parent !== undefined && parent !== implied) {
        errors.push({ path: joinPath(path, 'parent'), message: `the parent of ${code} is ${implied ?? 'none (it is a root)'}` });
      }
      if (implied !== undefined && !codes.has(implied)) errors.push({ path: joinPath(path, 'parent'), message: `parent ${implied} is missing` });
    }
    const n = name as Record<string, unknown> | undefined;
    for (const lang of ['zh', 'en'] as const) {
      if (!n || typeof n[lang] !== 'string' || (n[lang] as string).trim() === '') {
        errors.push({ path: joinPath(path, 'name', lang), message: `the ${lang} name is required` });
      }
    }
    if (errors.length === before) {
      const implied = parentCodeOf(code as string);
      value.push({ code: code as string, name: { zh: n!.zh as string, en: n!.en as string }, ...(implied ? { parent: implied } : {}) });
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}
