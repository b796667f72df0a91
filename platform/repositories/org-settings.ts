import { CALENDAR_24x7, CALENDAR_CN_DEFAULT, parseBusinessCalendar, type BusinessCalendar } from '../../domain/cases/business-calendar.js';
import { DEFAULT_CATEGORIES, parseCategories, type Category } from '../../domain/cases/categories.js';
import { resolvePolicy, parseSlaPolicies, type PolicySelector, type SlaPolicy } from '../../domain/cases/sla-policy.js';
import type { Db } from '../db.js';

/**
 * Administrator-edited settings of one organisation (SLA policies, business calendars, the
 * category taxonomy), stored as validated JSON documents in `org_setting`. Read by the API and by
 * the case activities; absent settings fall back to the handbook defaults.
 */
export const SETTING_KEYS = { slaPolicies: 'sla-policies', calendars: 'calendars', categories: 'categories' } as const;
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
