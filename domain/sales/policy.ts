import { Duration } from 'luxon';
import { joinPath, type Parsed, type ValidationIssue } from '../cases/errors.js';

/**
 * Deadlines of the sales lifecycle (DESIGN.md section 3), editable by an administrator. ISO 8601
 * durations added on the calendar of the project's time zone (as lead cadences are), so a test or
 * demo can use seconds. Each step's reminder goes out `remindBefore` ahead of its deadline.
 */
export interface SalesPolicy {
  /** Subscription → signed contract (认购后签约), or the subscription lapses. */
  contractWithin: string;
  /** Signed contract → online filing (网签备案). */
  filingWithin: string;
  /** Contract → mortgage documents submitted to the bank. */
  mortgageDocumentsWithin: string;
  /** Documents → the bank's decision. */
  bankDecisionWithin: string;
  /** Approval → disbursement (放款). */
  disbursementWithin: string;
  /** Contract → full payment covered by instalments. */
  fullPaymentWithin: string;
  /** How long before each deadline its reminder goes out. */
  remindBefore: string;
  /** The pre-handover inspection this long before the project's delivery date. */
  inspectionBeforeDelivery: string;
  /** Between construction-progress emails until delivery. */
  progressEvery: string;
  /** Defects raised at inspection or handover get this resolution target as repair cases. */
  defectResolution: string;
}

export const DEFAULT_SALES_POLICY: SalesPolicy = Object.freeze({
  contractWithin: 'P7D',
  filingWithin: 'P30D',
  mortgageDocumentsWithin: 'P14D',
  bankDecisionWithin: 'P30D',
  disbursementWithin: 'P30D',
  fullPaymentWithin: 'P60D',
  remindBefore: 'P2D',
  inspectionBeforeDelivery: 'P1M',
  progressEvery: 'P1M',
  defectResolution: 'P7D',
});

const FIELDS = Object.keys(DEFAULT_SALES_POLICY) as Array<keyof SalesPolicy>;

/** Validates an administrator's sales policy; missing fields take the defaults. */
export function parseSalesPolicy(input: unknown): Parsed<SalesPolicy> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: [{ path: '', message: 'expected an object of durations' }] };
  const raw = input as Record<string, unknown>;
  const errors: ValidationIssue[] = [];
  for (const key of Object.keys(raw)) if (!(FIELDS as string[]).includes(key)) errors.push({ path: joinPath(key), message: `unknown field ${key}` });
  const out = { ...DEFAULT_SALES_POLICY } as SalesPolicy;
  for (const field of FIELDS) {
    const value = raw[field];
    if (value === undefined) continue;
    const d = typeof value === 'string' && !value.includes('-') ? Duration.fromISO(value) : null;
    if (!d || !d.isValid || d.toMillis() <= 0) {
      errors.push({ path: joinPath(field), message: `${String(value)} is not a positive ISO 8601 duration, e.g. P7D, P1M or PT30S` });
      continue;
    }
    out[field] = value as string;
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: out };
}
