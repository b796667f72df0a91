/**
 * Rows a sales manager has just handled (assigned from the pool, decided in the loss review) stay
 * off their queue until the queue's own list agrees. The API answers an action with the workflow's
 * live state, but lists read the read model, which the workflow's projection updates a moment (under
 * load, seconds) later: the list refetched right after the action still holds the lead. Forgetting
 * the handled rows on every refetch put the row back and took it away only at the next poll, 15 s
 * later, after the confirmation had closed (issue 13: "分配给…" not shown in loaded runs).
 */
import { useCallback, useEffect, useState } from 'react';

/** After this long the queue's list is trusted again, whatever it says (the lead may have come back). */
export const CATCH_UP_MS = 60_000;

/** The handled ids still to hide, given a list fetched at `fetchedAt` holding `ids`. */
export function stillHandled(handled: ReadonlyMap<string, number>, ids: ReadonlySet<string>, fetchedAt: number): Map<string, number> {
  const next = new Map<string, number>();
  for (const [id, at] of handled) {
    // A list fetched after the action that no longer holds the row: it has caught up.
    const caughtUp = fetchedAt > at && !ids.has(id);
    if (!caughtUp && fetchedAt - at < CATCH_UP_MS) next.set(id, at);
  }
  return next;
}

export function useHandledRows<T extends { id: string }>(list: { data?: { items: T[]; total: number } | undefined; dataUpdatedAt: number }) {
  const [handled, setHandled] = useState<ReadonlyMap<string, number>>(() => new Map());
  const { data, dataUpdatedAt } = list;
  useEffect(() => {
    if (!data) return;
    setHandled((h) => {
      if (h.size === 0) return h;
      const next = stillHandled(h, new Set(data.items.map((r) => r.id)), dataUpdatedAt);
      return next.size === h.size ? h : next;
    });
  }, [data, dataUpdatedAt]);
  const items = (data?.items ?? []).filter((r) => !handled.has(r.id));
  const hidden = (data?.items.length ?? 0) - items.length;
  return {
    items,
    total: Math.max(0, (data?.total ?? 0) - hidden),
    handle: useCallback((id: string) => setHandled((h) => new Map(h).set(id, Date.now())), []),
  };
}
