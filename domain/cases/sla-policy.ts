import { isCategoryCode, isWithinCategory } from './categories.js';
import { parseSlaDuration } from './durations.js';
import { joinPath, type Parsed, type ValidationIssue } from './errors.js';
import { isCaseType, isClockKind, isSeverity, isTier, type CaseType, type ClockKind, type Severity, type Tier } from './types.js';

/**
 * SLA policies: which targets a case gets, chosen by case type × category × severity × tier.
 * `'*'` and the empty category prefix match anything; the most specific matching policy wins.
 */
export interface SlaPolicy {
  id: string;
  name: string;
  caseType: CaseType | '*';
  /** A category code or a branch of the taxonomy (`complaint.quality`); '' matches every category. */
  categoryPrefix: string;
  severity: Severity | '*';
  tier: Tier | '*';
  /** ISO 8601 durations, counted on `clock`. */
  firstContact: string;
  resolution: string;
  callback: string;
  /** Fraction of a target after which the assignee is warned, 0 < warnAt < 1. */
  warnAt: number;
  /** How long a supervisor has to decide an escalation before it escalates by itself. */
  approvalWindow: string;
  /** Lowest callback satisfaction (1–5) that lets the case close. */
  satisfactionThreshold: number;
  clock: ClockKind;
  /** The business calendar of a business-clock policy; absent means the project's own calendar. */
  calendarId?: string;
  /** How staff notices of its cases are delivered; absent means NOTIFICATION_DEFAULTS. */
  notifications?: SlaNotifications;
}

/**
 * How a policy's staff notices reach people (issue 14): on the business clock, held to the start of
 * the next working period of the case's calendar (not at 03:00 or on a holiday); and at most one
 * email per person per `digestMinutes`, what falls due meanwhile arriving as one digest. Breaches of
 * calendar-clock targets always go at once (domain/cases/notice-delivery.ts).
 */
export interface SlaNotifications {
  workingHoursOnly: boolean;
  /** 0 sends every notice on its own (held ones still together); at most a day. */
  digestMinutes: number;
}

/**
 * Held to working time by default (nobody acts on a 03:00 email), and at most one email per person
 * per 5 minutes (the issue's "at most one email per few minutes"): what falls due meanwhile arrives
 * as one digest. A policy sets `digestMinutes: 0` to send every notice as it comes.
 */
export const NOTIFICATION_DEFAULTS: Readonly<SlaNotifications> = Object.freeze({ workingHoursOnly: true, digestMinutes: 5 });
export const MAX_DIGEST_MINUTES = 1440;

/** A policy's notification settings, the defaults filled in. */
export function notificationsOf(policy: Pick<SlaPolicy, 'notifications'> | null | undefined): SlaNotifications {
  return { ...NOTIFICATION_DEFAULTS, ...(policy?.notifications ?? {}) };
}

export const isValidDigestMinutes = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_DIGEST_MINUTES;

/** The handbook's defaults: contact within 24 h, resolve within 7 days, call back within 3 days. */
export const POLICY_DEFAULTS = Object.freeze({
  firstContact: 'PT24H',
  resolution: 'P7D',
  callback: 'P3D',
  warnAt: 0.8,
  approvalWindow: 'PT4H',
  satisfactionThreshold: 3,
  clock: 'calendar' as ClockKind,
});

/** What every case gets when no configured policy matches. */
export const DEFAULT_POLICY: SlaPolicy = Object.freeze({
  id: 'default',
  name: '默认时效 / Default targets',
  caseType: '*',
  categoryPrefix: '',
  severity: '*',
  tier: '*',
  ...POLICY_DEFAULTS,
});

export interface PolicySelector {
  caseType: CaseType;
  category: string;
  severity: Severity;
  tier: Tier;
}

export function policyMatches({ policy, caseType, category, severity, tier }: PolicySelector & { policy: SlaPolicy }): boolean {
  return (
    (policy.caseType === '*' || policy.caseType === caseType) &&
    (policy.severity === '*' || policy.severity === severity) &&
    (policy.tier === '*' || policy.tier === tier) &&
    isWithinCategory({ code: category, prefix: policy.categoryPrefix })
  );
}

/**
 * The policy for a case: among the matching ones, the longest category prefix wins, then an exact
 * case type, an exact severity, an exact tier; remaining ties go to the smallest id, so the choice
 * never depends on the order policies were stored in. Nothing matching means DEFAULT_POLICY.
 */
export function resolvePolicy({ policies, ...selector }: PolicySelector & { policies: readonly SlaPolicy[] }): SlaPolicy {
  let best: SlaPolicy | null = null;
  for (const policy of policies) {
    if (!policyMatches({ policy, ...selector })) continue;
    if (best === null || compareSpecificity(policy, best) < 0) best = policy;
  }
  return best ?? DEFAULT_POLICY;
}

/** Negative when `a` is more specific than `b` (so it sorts first). */
function compareSpecificity(a: SlaPolicy, b: SlaPolicy): number {
  const rank = (p: SlaPolicy) => [segments(p.categoryPrefix), +(p.caseType !== '*'), +(p.severity !== '*'), +(p.tier !== '*')];
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < ra.length; i++) {
    if (ra[i] !== rb[i]) return rb[i]! - ra[i]!;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const segments = (prefix: string) => (prefix === '' ? 0 : prefix.split('.').length);

/** Callback satisfaction 1–5 at or above the policy's threshold closes the case; below reopens it. */
export function isSatisfactory({ policy, satisfaction }: { policy: Pick<SlaPolicy, 'satisfactionThreshold'>; satisfaction: number }): boolean {
  return satisfaction >= policy.satisfactionThreshold;
}

export function isValidSatisfaction(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5;
}

// ---------------------------------------------------------------------------------------------
// Validation

const DURATION_FIELDS = ['firstContact', 'resolution', 'callback', 'approvalWindow'] as const;

/**
 * Validates one policy from an administrator, filling the handbook defaults for omitted targets
 * and wildcards for omitted selectors. Durations are checked against the policy's own clock.
 */
export function parseSlaPolicy(input: unknown, path = ''): Parsed<SlaPolicy> {
  const errors: ValidationIssue[] = [];
  const issue = (field: string, message: string) => errors.push({ path: joinPath(path, field), message });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ path, message: 'a policy must be an object' }] };
  }
  const p = input as Record<string, unknown>;

  const str = (field: string): string | null => (typeof p[field] === 'string' && (p[field] as string).trim() !== '' ? (p[field] as string) : null);
  const id = str('id');
  if (id === null) issue('id', 'id is required');
  const name = str('name');
  if (name === null) issue('name', 'name is required');

  const caseType = p.caseType ?? '*';
  if (caseType !== '*' && !isCaseType(caseType)) issue('caseType', `${String(caseType)} is not a case type or '*'`);
  const severity = p.severity ?? '*';
  if (severity !== '*' && !isSeverity(severity)) issue('severity', `${String(severity)} is not a severity or '*'`);
  const tier = p.tier ?? '*';
  if (tier !== '*' && !isTier(tier)) issue('tier', `${String(tier)} is not a tier or '*'`);
  const categoryPrefix = p.categoryPrefix ?? '';
  if (categoryPrefix !== '' && !isCategoryCode(categoryPrefix)) {
    issue('categoryPrefix', `${String(categoryPrefix)} is not a category code such as complaint.quality ('' matches all)`);
  }

  const clock = p.clock ?? POLICY_DEFAULTS.clock;
  if (!isClockKind(clock)) issue('clock', `clock is 'calendar' or 'business'`);
  const durations = {} as Record<(typeof DURATION_FIELDS)[number], string>;
  for (const field of DURATION_FIELDS) {
    const iso = p[field] ?? POLICY_DEFAULTS[field];
    durations[field] = iso as string;
    if (typeof iso !== 'string') {
      issue(field, 'an ISO 8601 duration such as PT24H is required');
    } else if (isClockKind(clock)) {
      const parsed = parseSlaDuration({ iso, clock });
      if (!parsed.ok) issue(field, parsed.message);
    }
  }

  const warnAt = p.warnAt ?? POLICY_DEFAULTS.warnAt;
  if (typeof warnAt !== 'number' || !(warnAt > 0 && warnAt < 1)) issue('warnAt', 'warnAt is a fraction of the target between 0 and 1 (exclusive), e.g. 0.8');
  const satisfactionThreshold = p.satisfactionThreshold ?? POLICY_DEFAULTS.satisfactionThreshold;
  if (!isValidSatisfaction(satisfactionThreshold)) issue('satisfactionThreshold', 'satisfactionThreshold is a whole number from 1 to 5');
  let notifications: SlaNotifications | undefined;
  if (p.notifications !== undefined && p.notifications !== null) {
    const n = p.notifications as Record<string, unknown>;
    if (typeof n !== 'object' || Array.isArray(n)) {
      issue('notifications', 'notifications is {workingHoursOnly, digestMinutes}');
    } else {
      const workingHoursOnly = n.workingHoursOnly ?? NOTIFICATION_DEFAULTS.workingHoursOnly;
      const digestMinutes = n.digestMinutes ?? NOTIFICATION_DEFAULTS.digestMinutes;
      if (typeof workingHoursOnly !== 'boolean') issue('notifications.workingHoursOnly', 'workingHoursOnly is true or false');
      if (!isValidDigestMinutes(digestMinutes)) issue('notifications.digestMinutes', `digestMinutes is a whole number of minutes from 0 to ${MAX_DIGEST_MINUTES}`);
      notifications = { workingHoursOnly: workingHoursOnly as boolean, digestMinutes: digestMinutes as number };
    }
  }
  const calendarId = p.calendarId;
  if (calendarId !== undefined && calendarId !== null && (typeof calendarId !== 'string' || calendarId.trim() === '')) {
    issue('calendarId', 'calendarId names a business calendar');
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      id: id!,
      name: name!,
      caseType: caseType as SlaPolicy['caseType'],
      categoryPrefix: categoryPrefix as string,
      severity: severity as SlaPolicy['severity'],
      tier: tier as SlaPolicy['tier'],
      ...durations,
      warnAt: warnAt as number,
      satisfactionThreshold: satisfactionThreshold as number,
      clock: clock as ClockKind,
      ...(typeof calendarId === 'string' ? { calendarId } : {}),
      ...(notifications ? { notifications } : {}),
    },
  };
}

/**
 * Validates a whole policy set (what `PUT /api/sla-policies` replaces): every policy valid, ids
 * unique, no two policies with the same selector (one would silently shadow the other), and, when
 * `calendarIds` is given, every named calendar known.
 */
export function parseSlaPolicies({ policies, calendarIds }: { policies: unknown; calendarIds?: readonly string[] }): Parsed<SlaPolicy[]> {
  if (!Array.isArray(policies)) return { ok: false, errors: [{ path: '', message: 'policies must be a list' }] };
  const errors: ValidationIssue[] = [];
  const value: SlaPolicy[] = [];
  const ids = new Map<string, number>();
  const selectors = new Map<string, string>();
  const known = calendarIds ? new Set(calendarIds) : null;
  policies.forEach((input: unknown, i: number) => {
    const parsed = parseSlaPolicy(input, String(i));
    if (!parsed.ok) return errors.push(...parsed.errors);
    const policy = parsed.value;
    if (ids.has(policy.id)) errors.push({ path: joinPath(i, 'id'), message: `id ${policy.id} is already used by policy ${ids.get(policy.id)}` });
    ids.set(policy.id, i);
    const selector = [policy.caseType, policy.categoryPrefix, policy.severity, policy.tier].join('|');
    const twin = selectors.get(selector);
    if (twin !== undefined) errors.push({ path: String(i), message: `policy ${twin} already applies to the same case type, category, severity and tier` });
    else selectors.set(selector, policy.id);
    if (known && policy.calendarId !== undefined && !known.has(policy.calendarId)) {
      errors.push({ path: joinPath(i, 'calendarId'), message: `no business calendar ${policy.calendarId}` });
    }
    value.push(policy);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}
