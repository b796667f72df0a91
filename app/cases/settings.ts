import { CALENDAR_24x7, CALENDAR_CN_DEFAULT, parseBusinessCalendar, type BusinessCalendar } from '../../domain/cases/business-calendar.js';
import { effectiveCalendar, scheduleCoverage, snapshotWindow, type ScheduleCoverage } from '../../domain/cases/holiday-schedules.js';
import { DEFAULT_CATEGORIES, parseCategories, type Category } from '../../domain/cases/categories.js';
import { joinPath } from '../../domain/cases/errors.js';
import { parseSlaPolicies, resolvePolicy, type PolicySelector, type SlaPolicy } from '../../domain/cases/sla-policy.js';
import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import type { FieldError } from '../errors.js';
import { settingsError } from '../settings/errors.js';
import { assertMayWriteSettings, invalidSettingsDocument, readOrgSetting, ruleErrors, saveOrgSettingWithAudit } from '../settings/org-settings.js';

/**
 * The case settings of an organisation: SLA policies, business calendars and the category
 * taxonomy. Read by the API and by the activities (a case's policy is resolved when it enters a
 * tier); absent or no longer valid documents fall back to the handbook defaults.
 */
export const CASE_SETTING_KEYS = { slaPolicies: 'sla-policies', calendars: 'calendars', categories: 'categories' } as const;

export const DEFAULT_CALENDARS: readonly BusinessCalendar[] = [CALENDAR_CN_DEFAULT, CALENDAR_24x7];

/** The SLA policies of a stored document (undefined: none saved). */
function slaPoliciesOf(raw: unknown): SlaPolicy[] {
  if (raw === undefined) return [];
  const parsed = parseSlaPolicies({ policies: raw });
  // Stored documents were validated on write; a document that no longer parses (a rule got
  // stricter) must not stop cases from opening, so it falls back to the defaults.
  return parsed.ok ? parsed.value : [];
}

function calendarsOf(raw: unknown): BusinessCalendar[] {
  if (!Array.isArray(raw)) return [...DEFAULT_CALENDARS];
  const calendars = raw.map((c) => parseBusinessCalendar(c)).flatMap((p) => (p.ok ? [p.value] : []));
  return calendars.length ? calendars : [...DEFAULT_CALENDARS];
}

function categoriesOf(raw: unknown): Category[] {
  if (raw === undefined) return [...DEFAULT_CATEGORIES];
  const parsed = parseCategories(raw);
  return parsed.ok ? parsed.value : [...DEFAULT_CATEGORIES];
}

export async function findSlaPoliciesByGroup(db: Db, groupId: string): Promise<SlaPolicy[]> {
  return slaPoliciesOf(await readOrgSetting(db, groupId, CASE_SETTING_KEYS.slaPolicies));
}

export async function findCalendarsByGroup(db: Db, groupId: string): Promise<BusinessCalendar[]> {
  return calendarsOf(await readOrgSetting(db, groupId, CASE_SETTING_KEYS.calendars));
}

export async function findCategoriesByGroup(db: Db, groupId: string): Promise<Category[]> {
  return categoriesOf(await readOrgSetting(db, groupId, CASE_SETTING_KEYS.categories));
}

export type CaseSettings = { policies: SlaPolicy[]; calendars: BusinessCalendar[]; categories: Category[] };

/**
 * Parsed documents by their stored text: opening a case reads the three documents' text on every
 * request (a change takes effect at once, in every API process) and parses a text only the first
 * time it sees it. The key is the whole text, not a version: nothing can be stale. Bounded; when
 * full, the oldest entry goes.
 */
const parsedSettings = new Map<string, unknown>();
const PARSED_SETTINGS_LIMIT = 64;
function parsedOnce<T>(key: string, text: string | null, parse: (raw: unknown) => T): T {
  const cacheKey = `${key}\u0000${text ?? ''}`;
  let value = parsedSettings.get(cacheKey) as T | undefined;
  if (value === undefined) {
    value = parse(text === null ? undefined : JSON.parse(text));
    if (parsedSettings.size >= PARSED_SETTINGS_LIMIT) parsedSettings.delete(parsedSettings.keys().next().value!);
    parsedSettings.set(cacheKey, value);
  }
  // Callers may change what they get (lists are copied as the uncached readers copy them).
  return copyList(value);
}
const copyList = <T>(v: T): T => (Array.isArray(v) ? ([...v] as T) : v);

/** The case settings from their stored documents' text (`value::text` of `org_setting`, null when none is saved). */
export function caseSettingsOfDocuments(texts: { slaPolicies: string | null; calendars: string | null; categories: string | null }): CaseSettings {
  return {
    policies: parsedOnce(CASE_SETTING_KEYS.slaPolicies, texts.slaPolicies, slaPoliciesOf),
    calendars: parsedOnce(CASE_SETTING_KEYS.calendars, texts.calendars, calendarsOf),
    categories: parsedOnce(CASE_SETTING_KEYS.categories, texts.categories, categoriesOf),
  };
}

/** The calendar a business-clock policy counts on: the one it names, else the group's first. */
export function calendarOfPolicy(policy: Pick<SlaPolicy, 'calendarId'>, calendars: readonly BusinessCalendar[]): BusinessCalendar {
  return calendars.find((c) => c.id === policy.calendarId) ?? calendars[0] ?? CALENDAR_CN_DEFAULT;
}

/**
 * The snapshot of a calendar a case counts on: its holiday schedule applied, and only the days from
 * a day before `since` (the case's opening: re-budgets recount from the targets' starts) to 400 days
 * after `now`, so the case's history does not carry every year since 2020.
 */
export function caseCalendarSnapshot(calendar: BusinessCalendar, since: number, now: number = Date.now()): BusinessCalendar {
  return effectiveCalendar(calendar, snapshotWindow(calendar, Math.min(since, now), now));
}

/** The policy for a case at a tier, and the business calendar it counts on (null on the calendar clock). */
export async function resolveCaseSlaForGroup(
  db: Db,
  groupId: string,
  selector: PolicySelector,
  /** When the case opened (default now): the calendar snapshot covers its days from then. */
  since: number = Date.now(),
): Promise<{ policy: SlaPolicy; calendar: BusinessCalendar | null }> {
  const [policies, calendars] = await Promise.all([findSlaPoliciesByGroup(db, groupId), findCalendarsByGroup(db, groupId)]);
  return resolveCaseSla({ policies, calendars }, selector, since);
}

/** resolveCaseSlaForGroup on settings already read. */
export function resolveCaseSla(
  settings: { policies: readonly SlaPolicy[]; calendars: readonly BusinessCalendar[] },
  selector: PolicySelector,
  since: number = Date.now(),
): { policy: SlaPolicy; calendar: BusinessCalendar | null } {
  const policy = resolvePolicy({ policies: [...settings.policies], ...selector });
  if (policy.clock === 'calendar') return { policy, calendar: null };
  return { policy, calendar: caseCalendarSnapshot(calendarOfPolicy(policy, settings.calendars), since) };
}

/**
 * The three case settings documents at once: Prisma batches the reads of one tick into one
 * query, where reading them one after the other costs three.
 */
export async function findCaseSettingsByGroup(db: Db, groupId: string) {
  const [policies, calendars, categories] = await Promise.all([findSlaPoliciesByGroup(db, groupId), findCalendarsByGroup(db, groupId), findCategoriesByGroup(db, groupId)]);
  return { policies, calendars, categories };
}

/** The ids of the calendars cases count on: those the policies name, and the group's first (the default). */
export function calendarsInUse(policies: readonly SlaPolicy[], calendars: readonly BusinessCalendar[]): Set<string> {
  const ids = new Set<string>();
  for (const p of policies) if (p.clock === 'business') ids.add(calendarOfPolicy(p, calendars).id);
  // Policies that match no case fall back to the handbook's, which counts on the first calendar.
  if (calendars[0]) ids.add(calendars[0].id);
  return ids;
}

/** Whether each calendar of the group knows next year's holidays (admins are warned from 1 November). */
export async function calendarScheduleCoverage(db: Db, groupId: string, now: number = Date.now()): Promise<ScheduleCoverage[]> {
  const [policies, calendars] = await Promise.all([findSlaPoliciesByGroup(db, groupId), findCalendarsByGroup(db, groupId)]);
  return scheduleCoverage(calendars, calendarsInUse(policies, calendars), now);
}

/** Replaces the SLA policies (new cases and re-budgets use them); each must name a calendar of the group. */
export async function replaceSlaPolicies(db: Db, principal: Principal, policies: unknown[]): Promise<SlaPolicy[]> {
  assertMayWriteSettings(principal);
  const calendars = await findCalendarsByGroup(db, principal.groupId);
  const parsed = parseSlaPolicies({ policies, calendarIds: calendars.map((c) => c.id) });
  if (!parsed.ok) throw invalidSettingsDocument(ruleErrors(parsed.errors));
  await saveOrgSettingWithAudit(db, principal, CASE_SETTING_KEYS.slaPolicies, parsed.value);
  return parsed.value;
}

/** Replaces the business calendars: ids unique, and none that a policy still counts on may go. */
export async function replaceCalendars(db: Db, principal: Principal, documents: unknown[]): Promise<BusinessCalendar[]> {
  assertMayWriteSettings(principal);
  const issues: FieldError[] = [];
  const calendars: BusinessCalendar[] = [];
  const ids = new Map<string, number>();
  documents.forEach((input, i) => {
    const parsed = parseBusinessCalendar(input);
    if (!parsed.ok) return issues.push(...ruleErrors(parsed.errors.map((e) => ({ path: joinPath(i, e.path), message: e.message }))));
    const seen = ids.get(parsed.value.id);
    if (seen !== undefined) issues.push(settingsError.field(joinPath('body', i, 'id'), 'CALENDAR_ID_TAKEN', { id: parsed.value.id, index: seen }));
    ids.set(parsed.value.id, i);
    calendars.push(parsed.value);
  });
  if (issues.length) throw invalidSettingsDocument(issues);
  // A policy naming a calendar that would disappear could no longer compute its deadlines.
  const orphaned = (await findSlaPoliciesByGroup(db, principal.groupId)).filter((p) => p.calendarId !== undefined && !ids.has(p.calendarId));
  if (orphaned.length)
    throw invalidSettingsDocument(orphaned.map((p) => settingsError.field('body', 'CALENDAR_IN_USE', { policy: p.id, calendar: p.calendarId ?? '' })));
  await saveOrgSettingWithAudit(db, principal, CASE_SETTING_KEYS.calendars, calendars);
  return calendars;
}

/** Replaces the category taxonomy (existing cases keep their codes). */
export async function replaceCategories(db: Db, principal: Principal, documents: unknown[]): Promise<Category[]> {
  assertMayWriteSettings(principal);
  const parsed = parseCategories(documents);
  if (!parsed.ok) throw invalidSettingsDocument(ruleErrors(parsed.errors));
  await saveOrgSettingWithAudit(db, principal, CASE_SETTING_KEYS.categories, parsed.value);
  return parsed.value;
}
