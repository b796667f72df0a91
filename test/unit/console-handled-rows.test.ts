/**
 * A lead handled on a sales manager's queue (assigned from the pool, decided in the loss review)
 * stays off the queue until the queue's own list agrees: the list reads a read model that follows
 * the workflow a moment after the action answers (console/src/features/leads/components/useHandledRows.ts).
 */
import { describe, expect, it } from 'vitest';
import { CATCH_UP_MS, stillHandled } from '../../console/src/features/leads/components/useHandledRows.js';

const at = 1_000_000;

describe('handled queue rows', () => {
  it('stay hidden while a list fetched after the action still holds them (the read model lags)', () => {
    expect([...stillHandled(new Map([['lead-1', at]]), new Set(['lead-1', 'lead-2']), at + 50).keys()]).toEqual(['lead-1']);
  });

  it('stay hidden when the list was fetched before the action answered', () => {
    expect([...stillHandled(new Map([['lead-1', at]]), new Set(), at - 10).keys()]).toEqual(['lead-1']);
  });

  it('are forgotten once a list fetched after the action no longer holds them', () => {
    expect(stillHandled(new Map([['lead-1', at]]), new Set(['lead-2']), at + 50).size).toBe(0);
  });

  it('are shown again after a minute, whatever the list says (the lead may have come back to the queue)', () => {
    expect(stillHandled(new Map([['lead-1', at]]), new Set(['lead-1']), at + CATCH_UP_MS).size).toBe(0);
  });
});
