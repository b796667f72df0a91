import { describe, expect, it } from 'vitest';
import { canDispatch, quoteRequired, validateQuote, type Quote } from '../../../domain/warranty/quote.js';

const quote = (over: Partial<Quote> = {}): Quote => ({
  currency: 'CNY',
  items: [
    { description: '更换角阀 Replace the angle valve', amountFen: 8_000 },
    { description: '人工 Labour', amountFen: 12_050 },
  ],
  totalFen: 20_050,
  status: 'accepted',
  ...over,
});

const IN = { covered: true };
const OUT = { covered: false };

describe('validateQuote', () => {
  it('accepts CNY items in whole fen whose sum is the total', () => {
    expect(validateQuote(quote())).toEqual({ ok: true });
    expect(validateQuote(quote({ items: [{ description: 'x', amountFen: 1 }], totalFen: 1 }))).toEqual({ ok: true });
  });

  it('refuses another currency, no items, and a zero total', () => {
    expect(validateQuote(quote({ currency: 'USD' }))).toEqual({ ok: false, errors: [{ code: 'QUOTE_CURRENCY_NOT_CNY', path: 'currency' }] });
    expect(validateQuote(quote({ items: [], totalFen: 0 }))).toEqual({
      ok: false,
      errors: [
        { code: 'QUOTE_NO_ITEMS', path: 'items' },
        { code: 'QUOTE_TOTAL_INVALID', path: 'totalFen' },
      ],
    });
  });

  it('refuses an item without a description or with an amount that is not positive whole fen', () => {
    const r = validateQuote(quote({ items: [{ description: '  ', amountFen: 100 }, { description: 'b', amountFen: 10.5 }, { description: 'c', amountFen: 0 }], totalFen: 110 }));
    expect(r).toEqual({
      ok: false,
      errors: [
        { code: 'QUOTE_ITEM_DESCRIPTION_REQUIRED', path: 'items.0.description' },
        { code: 'QUOTE_ITEM_AMOUNT_INVALID', path: 'items.1.amountFen' },
        { code: 'QUOTE_ITEM_AMOUNT_INVALID', path: 'items.2.amountFen' },
      ],
    });
  });

  it('refuses a total that is not the sum of the items, or not whole fen', () => {
    expect(validateQuote(quote({ totalFen: 20_000 }))).toEqual({ ok: false, errors: [{ code: 'QUOTE_TOTAL_MISMATCH', path: 'totalFen' }] });
    expect(validateQuote(quote({ totalFen: 200.5 }))).toEqual({ ok: false, errors: [{ code: 'QUOTE_TOTAL_INVALID', path: 'totalFen' }] });
    expect(validateQuote(quote({ totalFen: -20_050 }))).toEqual({ ok: false, errors: [{ code: 'QUOTE_TOTAL_INVALID', path: 'totalFen' }] });
  });
});

describe('quoteRequired and canDispatch', () => {
  it('asks no quote under warranty, and dispatches without one', () => {
    expect(quoteRequired(IN)).toBe(false);
    expect(canDispatch({ coverage: IN, quote: null })).toEqual({ ok: true, quoteNeeded: false });
    // A quote that happens to exist does not matter under warranty, even a refused one.
    expect(canDispatch({ coverage: IN, quote: quote({ status: 'refused' }) })).toEqual({ ok: true, quoteNeeded: false });
  });

  it('out of warranty, dispatches only after the owner accepted a valid quote', () => {
    expect(quoteRequired(OUT)).toBe(true);
    expect(canDispatch({ coverage: OUT, quote: null })).toEqual({ ok: false, code: 'QUOTE_REQUIRED' });
    expect(canDispatch({ coverage: OUT, quote: quote({ status: 'pending' }) })).toEqual({ ok: false, code: 'QUOTE_NOT_ACCEPTED' });
    expect(canDispatch({ coverage: OUT, quote: quote() })).toEqual({ ok: true, quoteNeeded: true });
  });

  it('closes the case with quote_refused when the owner refuses', () => {
    expect(canDispatch({ coverage: OUT, quote: quote({ status: 'refused' }) })).toEqual({ ok: false, code: 'QUOTE_REFUSED', closeCaseWith: 'quote_refused' });
  });

  it('does not dispatch on an accepted quote that fails validation', () => {
    const r = canDispatch({ coverage: OUT, quote: quote({ totalFen: 1 }) });
    expect(r).toEqual({ ok: false, code: 'QUOTE_INVALID', errors: [{ code: 'QUOTE_TOTAL_MISMATCH', path: 'totalFen' }] });
  });
});
