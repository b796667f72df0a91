/**
 * The vocabulary of complaint and repair cases (DESIGN.md §1). Plain constants, so the workflow
 * bundle, the API schemas and the console all spell the same values from one place.
 */
export const CASE_TYPES = ['complaint', 'repair', 'enquiry'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const SEVERITIES = ['minor', 'major'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Ordered from the property office up to head office: escalation moves one step right. */
export const TIERS = ['PROJECT', 'COMPANY', 'GROUP'] as const;
export type Tier = (typeof TIERS)[number];

export const CHANNELS = ['phone', 'wechat', 'app', 'walk_in', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CASE_STATUSES = ['open', 'contacted', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The three targets of a case; meeting one never meets another. */
export const TARGETS = ['firstContact', 'resolution', 'callback'] as const;
export type TargetName = (typeof TARGETS)[number];

/** How a target's budget is counted: wall-clock time, or working time of a business calendar. */
export const CLOCKS = ['calendar', 'business'] as const;
export type ClockKind = (typeof CLOCKS)[number];

/** The tier an escalation goes to; null at GROUP, the last tier. */
export function nextTier(tier: Tier): Tier | null {
  return TIERS[TIERS.indexOf(tier) + 1] ?? null;
}

/** 0 for PROJECT, 1 for COMPANY, 2 for GROUP: lets callers compare tiers without string order. */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** The higher of two tiers: routing rules may raise a case's tier, never lower it. */
export function higherTier(a: Tier, b: Tier): Tier {
  return tierRank(a) >= tierRank(b) ? a : b;
}

const includes = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (values as readonly string[]).includes(value);

export const isCaseType = (value: unknown): value is CaseType => includes(CASE_TYPES, value);
export const isSeverity = (value: unknown): value is Severity => includes(SEVERITIES, value);
export const isTier = (value: unknown): value is Tier => includes(TIERS, value);
export const isChannel = (value: unknown): value is Channel => includes(CHANNELS, value);
export const isCaseStatus = (value: unknown): value is CaseStatus => includes(CASE_STATUSES, value);
export const isTargetName = (value: unknown): value is TargetName => includes(TARGETS, value);
export const isClockKind = (value: unknown): value is ClockKind => includes(CLOCKS, value);
