/**
 * A contractor company's rating over a period, and what it says about the company's warranty
 * retention payment (保修尾款: the part of the contract price the group keeps until the warranty
 * period ends). Issue 15 and DESIGN §4: contractors are rated on first-time fix, lateness and
 * rejected sign-offs, and the group judges the retention by it.
 *
 * The counts (`ContractorWork`), all over one period's work orders (the repair report's cohort):
 * - `workOrders`: the orders the company holds (the last assignee), less those a dispatcher
 *   cancelled; shown, not rated.
 * - `done`: of them, the orders the owner signed off.
 * - `firstTimeFixed`: done orders fixed on their one visit (no rework, no no-show of either party).
 * - `visits`: the visits of the done orders; each visit has one on-site arrival target.
 * - `reworks`: rejected sign-offs of the done orders (each rejection opened a rework visit).
 * - `noShows`: no-shows of the done orders (shown; a no-show already spoils the first-time fix).
 * - `lateArrivals`: arrival targets missed over the visits of the done orders.
 * - `defects`: orders (not cancelled) whose defect the company answers for under the construction
 *   warranty (`responsibleContractorId`); shown, not rated: their cost is what the charge-backs price.
 * - `chargeBackOrders`, `chargeBackFen`: orders charged back to the company and their sum in fen.
 *
 * The rates (each a share `part / whole`, null-free: the whole may be 0):
 * - first-time fix = firstTimeFixed / done;
 * - late = lateArrivals / visits (a visit is late at most once: min(lateArrivals, visits));
 * - rejected sign-offs = reworks / (done + reworks), the share of sign-offs the owner was asked for
 *   and refused (every done order had one accepted sign-off, every rework one refused).
 *
 * The score (0–100, whole, rounded half up, exact; null when nothing was done) weighs
 *   50 × first-time fix + 25 × (1 − late) + 25 × (1 − rejected sign-offs),
 * so a company that fixes everything on time on the first visit scores 100.
 *
 * The retention recommendation, the first that applies:
 * 1. `insufficient_data`: fewer done orders than `minDoneOrders` (nothing to judge by);
 * 2. `hold`: a threshold missed — first-time fix below `minFirstTimeFixPct`, late above
 *    `maxLatePct` or rejected sign-offs above `maxRejectedPct` (exactly at a threshold passes);
 *    `shortfalls` lists which;
 * 3. `deduct`: every threshold met, charge-backs outstanding: release the retention less the
 *    charge-back total (`deductFen`);
 * 4. `release`: every threshold met, nothing charged back: release in full.
 * `deductFen` is the charge-back total whatever the recommendation: what a release will take off.
 * Thresholds are whole percents, compared exactly (part × 100 against threshold × whole).
 */
import { joinPath, type ValidationIssue } from '../cases/errors.js';

export interface ContractorWork {
  workOrders: number;
  done: number;
  firstTimeFixed: number;
  visits: number;
  reworks: number;
  noShows: number;
  lateArrivals: number;
  defects: number;
  chargeBackOrders: number;
  chargeBackFen: bigint;
}

/** The group's thresholds (the `retention` section of the warranty settings). */
export interface RetentionThresholds {
  /** Done orders needed before a company is judged (1–10,000). */
  minDoneOrders: number;
  /** First-time fix rate a company must reach, whole percent (0–100). */
  minFirstTimeFixPct: number;
  /** Share of late arrivals a company may not exceed, whole percent (0–100). */
  maxLatePct: number;
  /** Share of rejected sign-offs a company may not exceed, whole percent (0–100). */
  maxRejectedPct: number;
}

export const DEFAULT_RETENTION_THRESHOLDS: RetentionThresholds = Object.freeze({
  minDoneOrders: 5,
  minFirstTimeFixPct: 80,
  maxLatePct: 10,
  maxRejectedPct: 10,
});

export const RETENTION_RECOMMENDATIONS = ['release', 'deduct', 'hold', 'insufficient_data'] as const;
export type RetentionRecommendation = (typeof RETENTION_RECOMMENDATIONS)[number];

export const RETENTION_SHORTFALLS = ['first_time_fix', 'late', 'rejected'] as const;
/** A threshold a company missed: first-time fix too low, too many late arrivals, too many rejected sign-offs. */
export type RetentionShortfall = (typeof RETENTION_SHORTFALLS)[number];

/** part / whole; whole 0 means there was nothing to count. */
export interface Share {
  part: number;
  whole: number;
}

export interface ContractorRating {
  firstTimeFix: Share;
  late: Share;
  rejected: Share;
  /** 0–100, null when nothing was done. */
  score: number | null;
  recommendation: RetentionRecommendation;
  /** The thresholds missed (only rated companies: empty for insufficient_data). */
  shortfalls: RetentionShortfall[];
  /** The charge-back total a release takes off the retention. */
  deductFen: bigint;
}

export const SCORE_WEIGHTS = Object.freeze({ firstTimeFix: 50, onTime: 25, acceptedSignOffs: 25 });

/** The rates of a company's counts. */
export function contractorShares(w: ContractorWork): Pick<ContractorRating, 'firstTimeFix' | 'late' | 'rejected'> {
  return {
    firstTimeFix: { part: w.firstTimeFixed, whole: w.done },
    late: { part: Math.min(w.lateArrivals, w.visits), whole: w.visits },
    rejected: { part: w.reworks, whole: w.done + w.reworks },
  };
}

/**
 * 50·f/d + 25·(1 − l/v) + 25·(1 − r/(d+r)), rounded half up, in integers (BigInt: no float error at
 * a half). A late share without visits counts as on time.
 */
function scoreOf(s: Pick<ContractorRating, 'firstTimeFix' | 'late' | 'rejected'>): number | null {
  if (s.firstTimeFix.whole === 0) return null;
  const term = (weight: number, part: number, whole: number) => ({ num: BigInt(weight) * BigInt(part), den: BigInt(whole) });
  const terms = [
    term(SCORE_WEIGHTS.firstTimeFix, s.firstTimeFix.part, s.firstTimeFix.whole),
    s.late.whole === 0 ? { num: BigInt(SCORE_WEIGHTS.onTime), den: 1n } : term(SCORE_WEIGHTS.onTime, s.late.whole - s.late.part, s.late.whole),
    s.rejected.whole === 0 ? { num: BigInt(SCORE_WEIGHTS.acceptedSignOffs), den: 1n } : term(SCORE_WEIGHTS.acceptedSignOffs, s.rejected.whole - s.rejected.part, s.rejected.whole),
  ];
  const den = terms.reduce((d, t) => d * t.den, 1n);
  const num = terms.reduce((n, t) => n + (t.num * den) / t.den, 0n);
  return Number((2n * num + den) / (2n * den));
}

const atLeast = (s: Share, pct: number) => s.part * 100 >= pct * s.whole;
const atMost = (s: Share, pct: number) => s.part * 100 <= pct * s.whole;

/** A company's rating and retention recommendation under the group's thresholds. */
export function rateContractor(w: ContractorWork, t: RetentionThresholds = DEFAULT_RETENTION_THRESHOLDS): ContractorRating {
  const shares = contractorShares(w);
  const base = { ...shares, score: scoreOf(shares), deductFen: w.chargeBackFen };
  if (w.done < t.minDoneOrders) return { ...base, recommendation: 'insufficient_data', shortfalls: [] };
  const shortfalls: RetentionShortfall[] = [];
  if (!atLeast(shares.firstTimeFix, t.minFirstTimeFixPct)) shortfalls.push('first_time_fix');
  if (!atMost(shares.late, t.maxLatePct)) shortfalls.push('late');
  if (!atMost(shares.rejected, t.maxRejectedPct)) shortfalls.push('rejected');
  if (shortfalls.length > 0) return { ...base, recommendation: 'hold', shortfalls };
  return { ...base, recommendation: w.chargeBackFen > 0n ? 'deduct' : 'release', shortfalls };
}

const isWholeIn = (n: unknown, min: number, max: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

/** Validates a `retention` section (missing fields take the defaults); problems are reported under `path`. */
export function parseRetentionThresholds(raw: unknown, path: string, errors: ValidationIssue[]): RetentionThresholds {
  const out: RetentionThresholds = { ...DEFAULT_RETENTION_THRESHOLDS };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push({ path, message: 'expected { minDoneOrders, minFirstTimeFixPct, maxLatePct, maxRejectedPct }' });
    return out;
  }
  const r = raw as Record<string, unknown>;
  const rules: Record<keyof RetentionThresholds, [number, number]> = { minDoneOrders: [1, 10_000], minFirstTimeFixPct: [0, 100], maxLatePct: [0, 100], maxRejectedPct: [0, 100] };
  for (const key of Object.keys(r)) if (!(key in rules)) errors.push({ path: joinPath(path, key), message: `unknown field ${key}` });
  for (const [key, [min, max]] of Object.entries(rules) as [keyof RetentionThresholds, [number, number]][]) {
    const v = r[key];
    if (v === undefined) continue;
    if (isWholeIn(v, min, max)) out[key] = v;
    else errors.push({ path: joinPath(path, key), message: `a whole number from ${min} to ${max}` });
  }
  return out;
}
