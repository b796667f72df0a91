import { CALENDAR_24x7, CALENDAR_CN_DEFAULT, parseBusinessCalendar, type BusinessCalendar } from '../../domain/cases/business-calendar.js';
import { DEFAULT_CATEGORIES, parseCategories, type Category } from '../../domain/cases/categories.js';
import { resolvePolicy, parseSlaPolicies, type PolicySelector, type SlaPolicy } from '../../domain/cases/sla-policy.js';
import { DEFAULT_CADENCES, parseCadencePolicies, type CadencePolicy } from '../../domain/leads/cadence.js';
import { DEFAULT_LOSS_REASONS, parseLossReasons, type LossReason } from '../../domain/leads/loss-reasons.js';
import { DEFAULT_SALES_POLICY, parseSalesPolicy, type SalesPolicy } from '../../domain/sales/policy.js';
import type { Db } from '../db.js';

/**
 * Administrator-edited settings of one organisation (SLA policies, business calendars, the
 * category taxonomy, lead cadences, loss reasons), stored as validated JSON documents in
 * `org_setting`. Read by the API and by the activities; absent settings fall back to the handbook
 * defaults.
 */
export const SETTING_KEYS = {
  slaPolicies: 'sla-policies',
  calendars: 'calendars',
  categories: 'categories',
  cadencePolicies: 'cadence-policies',
  lossReasons: 'loss-reasons',
  salesPolicy: 'sales-policy',
} as const;
export type SettingKey = (typeof SETTING_KEYS)[keyof typeof SETTING_KEYS];

export const DEFAULT_CALENDARS: readonly BusinessCalendar[] = [CALENDAR_CN_DEFAULT, CALENDAR_24x7];

async function readSetting(db: Db, groupId: string, key: SettingKey): Promise<unknown | undefined> {
  const row = await db.orgSetting.findUnique({ where: { groupId_key: { groupId, key } } });
  return row?.value ?? undefined;
}

export async function findSlaPoliciesByGroup(db: Db, groupId: string): Promise<SlaPolicy[]> {
  const raw = await readSetting(db, groupId, SETTING_KEYS.slaPolicies);
  if (raw === undefined) return [];
  const parsed = parseSlaPolicies({ policies: raw });
  // Stored documents were validated on write; a document that no longer parses (a rule got
  // stricter) must not stop cases from opening, so it falls back to the defaults.
  return parsed.ok ? parsed.value : [];
}

export async function findCalendarsByGroup(db: Db, groupId: string): Promise<BusinessCalendar[]> {
  const raw = await readSetting(db, groupId, SETTING_KEYS.calendars);
  if (!Array.isArray(raw)) return [...DEFAULT_CALENDARS];
  const calendars = raw.map((c) => parseBusinessCalendar(c)).flatMap((p) => (p.ok ? [p.value] : []));
  return calendars.length ? calendars : [...DEFAULT_CALENDARS];
}

export async function findCategoriesByGroup(db: Db, groupId: string): Promise<Category[]> {
  const raw = await readSetting(db, groupId, SETTING_KEYS.categories);
  if (raw === undefined) return [...DEFAULT_CATEGORIES];
  const parsed = parseCategories(raw);
  return parsed.ok ? parsed.value : [...DEFAULT_CATEGORIES];
}

/** The lead follow-up cadences, one per grade (DESIGN.md section 2 defaults when none were saved). */
export async function findCadencePoliciesByGroup(db: Db, groupId: string): Promise<CadencePolicy[]> {
  const raw = await readSetting(db, groupId, SETTING_KEYS.cadencePolicies);
  const fallback = () => DEFAULT_CADENCES.map((p) => ({ ...p }));
  if (raw === undefined) return fallback();
  const parsed = parseCadencePolicies(raw);
  // As for SLA policies: a stored document that no longer parses must not stop leads from arriving.
  return parsed.ok ? parsed.value : fallback();
}

/** The configured loss reasons, retired ones included (they stay readable on old leads). */
export async function findLossReasonsByGroup(db: Db, groupId: string): Promise<LossReason[]> {
  const raw = await readSetting(db, groupId, SETTING_KEYS.lossReasons);
  const fallback = () => DEFAULT_LOSS_REASONS.map((r) => ({ ...r, name: { ...r.name } }));
  if (raw === undefined) return fallback();
  const parsed = parseLossReasons(raw);
  return parsed.ok ? parsed.value : fallback();
}

/** The policy for a case at a tier, and the business calendar it counts on (null on the calendar clock). */
export async function resolveCaseSlaForGroup(
  db: Db,
  groupId: string,
  selector: PolicySelector,
): Promise<{ policy: SlaPolicy; calendar: BusinessCalendar | null }> {
  const [policies, calendars] = await Promise.all([findSlaPoliciesByGroup(db, groupId), findCalendarsByGroup(db, groupId)]);
  const policy = resolvePolicy({ policies, ...selector });
  if (policy.clock === 'calendar') return { policy, calendar: null };
  const calendar = calendars.find((c) => c.id === policy.calendarId) ?? calendars[0] ?? CALENDAR_CN_DEFAULT;
  return { policy, calendar };
}

export async function saveOrgSetting(db: Db, o: { groupId: string; key: SettingKey; value: unknown; updatedBy: string }): Promise<void> {
  await db.orgSetting.upsert({
    where: { groupId_key: { groupId: o.groupId, key: o.key } },
    create: { groupId: o.groupId, key: o.key, value: o.value as never, updatedBy: o.updatedBy },
    update: { value: o.value as never, updatedBy: o.updatedBy },
  });
}

/** The sales lifecycle's deadlines (DESIGN.md section 3 defaults when none were saved). */
export async function findSalesPolicyByGroup(db: Db, groupId: string): Promise<SalesPolicy> {
  const raw = await readSetting(db, groupId, SETTING_KEYS.salesPolicy);
  if (raw === undefined) return { ...DEFAULT_SALES_POLICY };
  const parsed = parseSalesPolicy(raw);
  // As for the other settings: a stored document that no longer parses must not stop sales.
  return parsed.ok ? parsed.value : { ...DEFAULT_SALES_POLICY };
}
