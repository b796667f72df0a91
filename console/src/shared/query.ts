/**
 * Server state through TanStack Query: one client for the console, with the API's own rules for
 * retries — a 4xx (validation, scope, conflict) is an answer, not a failure to retry; network
 * errors and 5xx/503 retry with backoff. Lists go stale after a short while and refetch when the
 * tab regains focus, so a queue someone else changed is fresh when the agent comes back to it.
 */
import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api.js';

function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  return failureCount < 3;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 15_000, refetchOnWindowFocus: true },
      // A submit is never retried behind the user's back: the form shows the error and the user decides.
      mutations: { retry: false },
    },
  });
}
