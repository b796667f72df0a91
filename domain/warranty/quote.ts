import type { WarrantyCoverage } from './coverage.js';

/**
 * The quote rule of issue 15: a repair out of warranty (保外) is the owner's bill, so nobody is
 * dispatched before the owner has accepted a quote; a refused quote closes the case with the
 * outcome `quote_refused`. Under warranty (保内) no quote is asked for. Amounts are CNY in whole
 * fen (see `domain/sales/money.ts`), never floats.
 */

export interface QuoteItem {
  description: string;
  amountFen: number;
}

export type QuoteStatus = 'pending' | 'accepted' | 'refused';

export interface Quote {
  currency: string;
  items: readonly QuoteItem[];
  totalFen: number;
  status: QuoteStatus;
}

export const QuoteErrorCode = {
  /** Only CNY is quoted. */
  QUOTE_CURRENCY_NOT_CNY: 'QUOTE_CURRENCY_NOT_CNY',
  /** A quote needs at least one item. */
  QUOTE_NO_ITEMS: 'QUOTE_NO_ITEMS',
  /** An item without a description (blank after trimming). */
  QUOTE_ITEM_DESCRIPTION_REQUIRED: 'QUOTE_ITEM_DESCRIPTION_REQUIRED',
  /** An item whose amount is not a positive whole number of fen (a free item is left off the quote). */
  QUOTE_ITEM_AMOUNT_INVALID: 'QUOTE_ITEM_AMOUNT_INVALID',
  /** A total that is not a positive whole number of fen. */
  QUOTE_TOTAL_INVALID: 'QUOTE_TOTAL_INVALID',
  /** A total that differs from the sum of the items. */
  QUOTE_TOTAL_MISMATCH: 'QUOTE_TOTAL_MISMATCH',
} as const;

export type QuoteErrorCode = (typeof QuoteErrorCode)[keyof typeof QuoteErrorCode];

export interface QuoteIssue {
  code: QuoteErrorCode;
  /** The field, dotted like the API's field errors: `items.0.amountFen`. */
  path: string;
}

export type QuoteValidation = { ok: true } | { ok: false; errors: QuoteIssue[] };

const isPositiveFen = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;

/** Every problem of a quote, or ok. The status is not judged here (see `canDispatch`). */
export function validateQuote(q: Quote): QuoteValidation {
  const errors: QuoteIssue[] = [];
  if (q.currency !== 'CNY') errors.push({ code: QuoteErrorCode.QUOTE_CURRENCY_NOT_CNY, path: 'currency' });
  const items = Array.isArray(q.items) ? q.items : [];
  if (items.length === 0) errors.push({ code: QuoteErrorCode.QUOTE_NO_ITEMS, path: 'items' });
  items.forEach((item, i) => {
    if (typeof item.description !== 'string' || item.description.trim() === '') {
      errors.push({ code: QuoteErrorCode.QUOTE_ITEM_DESCRIPTION_REQUIRED, path: `items.${i}.description` });
    }
    if (!isPositiveFen(item.amountFen)) errors.push({ code: QuoteErrorCode.QUOTE_ITEM_AMOUNT_INVALID, path: `items.${i}.amountFen` });
  });
  if (!isPositiveFen(q.totalFen)) {
    errors.push({ code: QuoteErrorCode.QUOTE_TOTAL_INVALID, path: 'totalFen' });
  } else if (items.length > 0 && items.every((item) => isPositiveFen(item.amountFen))) {
    const sum = items.reduce((s, item) => s + item.amountFen, 0);
    if (sum !== q.totalFen) errors.push({ code: QuoteErrorCode.QUOTE_TOTAL_MISMATCH, path: 'totalFen' });
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

/** Out of warranty a quote is needed before dispatch; under warranty it is not. */
export function quoteRequired(coverage: Pick<WarrantyCoverage, 'covered'>): boolean {
  return !coverage.covered;
}

export const DispatchRefusal = {
  /** Out of warranty and no quote yet. */
  QUOTE_REQUIRED: 'QUOTE_REQUIRED',
  /** The quote fails validation: it cannot be what the owner accepted. */
  QUOTE_INVALID: 'QUOTE_INVALID',
  /** The owner has not answered yet. */
  QUOTE_NOT_ACCEPTED: 'QUOTE_NOT_ACCEPTED',
  /** The owner refused: the case closes with outcome `quote_refused` instead. */
  QUOTE_REFUSED: 'QUOTE_REFUSED',
} as const;

export type DispatchRefusal = (typeof DispatchRefusal)[keyof typeof DispatchRefusal];

/** The case outcome a refused quote closes the case with. */
export const QUOTE_REFUSED_OUTCOME = 'quote_refused';

export type DispatchDecision =
  | { ok: true; quoteNeeded: boolean }
  | { ok: false; code: DispatchRefusal; closeCaseWith?: typeof QUOTE_REFUSED_OUTCOME; errors?: QuoteIssue[] };

/**
 * Whether anyone may be dispatched. Under warranty: yes, whatever quote there is (none is asked
 * for). Out of warranty: only with a valid quote the owner accepted; a refused one tells the caller
 * to close the case with `quote_refused`.
 */
export function canDispatch({ coverage, quote }: { coverage: Pick<WarrantyCoverage, 'covered'>; quote: Quote | null }): DispatchDecision {
  if (!quoteRequired(coverage)) return { ok: true, quoteNeeded: false };
  if (!quote) return { ok: false, code: DispatchRefusal.QUOTE_REQUIRED };
  const valid = validateQuote(quote);
  if (!valid.ok) return { ok: false, code: DispatchRefusal.QUOTE_INVALID, errors: valid.errors };
  if (quote.status === 'refused') return { ok: false, code: DispatchRefusal.QUOTE_REFUSED, closeCaseWith: QUOTE_REFUSED_OUTCOME };
  if (quote.status !== 'accepted') return { ok: false, code: DispatchRefusal.QUOTE_NOT_ACCEPTED };
  return { ok: true, quoteNeeded: true };
}
