/**
 * The header's search (`GET /api/search`) through TanStack Query: one cached answer per text typed,
 * a request that a newer keystroke made stale is aborted (the query's signal goes to fetch), and the
 * last answer stays on screen while the next one loads, so the list does not flicker.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { request } from '../../api.js';
import type { SearchHit, SearchKind, SearchResult } from '../../../../api/search/schemas.js';

export type { SearchHit, SearchKind, SearchResult };

/** The groups of an answer in the order the box shows them, with the answer's key for each. */
export const SEARCH_GROUPS = [
  { kind: 'customer', key: 'customers' },
  { kind: 'case', key: 'cases' },
  { kind: 'lead', key: 'leads' },
  { kind: 'sale', key: 'sales' },
  { kind: 'unit', key: 'units' },
] as const satisfies readonly { kind: SearchKind; key: keyof Omit<SearchResult, 'q'> }[];

/** Results of each kind shown in the box. */
export const SEARCH_LIMIT = 5;

export function searchRecords(q: string, signal?: AbortSignal): Promise<SearchResult> {
  return request<SearchResult>('GET', '/api/search', { query: { q, limit: SEARCH_LIMIT }, signal });
}

/** The value after it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function useSearch(text: string) {
  const q = text.trim();
  return useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) => searchRecords(q, signal),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

/** Where a result opens: the record's page; a unit opens its owner's customer page, or its project. */
export function hitPath(hit: SearchHit): string {
  const id = encodeURIComponent(hit.id);
  switch (hit.kind) {
    case 'customer':
      return `/customers/${id}`;
    case 'case':
      return `/cases/${id}`;
    case 'lead':
      return `/leads/${id}`;
    case 'sale':
      return `/sales/${id}`;
    case 'unit':
      if (hit.customerId) return `/customers/${encodeURIComponent(hit.customerId)}`;
      return hit.projectId ? `/projects/${encodeURIComponent(hit.projectId)}` : '/projects';
  }
}
