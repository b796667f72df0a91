import { ensureCaseWorkflow } from '../cases/open-case.js';
import { findUnprojectedCasesOpenedBetween } from '../cases/repository.js';
import { ensureLeadWorkflow } from '../leads/create-lead.js';
import { findUnprojectedLeadsCreatedBetween } from '../leads/repository.js';
import { finishOpenedSale } from '../sales/create-sale.js';
import { findUnprojectedSalesCreatedBetween } from '../sales/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { REQUEST_LEASE_MS } from '../shared/request-identity.js';

/**
 * Openings abandoned half-way: a case, lead or sale row stored by an API process that died before
 * it started the record's workflow (SIGKILL, a lost host) and whose client never retried. The
 * row would stay without its clocks, shown in lists but never warned, escalated or projected.
 *
 * Decision: the sweep **starts** the workflow from the row (as a retry of the request would), it
 * does not remove the row. Starting is idempotent (the workflow id is the row's, a start of a
 * known id is a no-op), so the sweep, a retry taking the request's claim over and another API's
 * sweep can all meet on one row without a race; a removal could race a retry that is about to
 * start it and leave a workflow without its row. The row was stored only after every check had
 * passed, its number handed out and its customer registered: finishing it is what the first run
 * would have done. A sale whose lead a workflow now refuses to convert is withdrawn (row removed,
 * unit given back), as the first run would have done (finishOpenedSale).
 *
 * Only rows older than REQUEST_LEASE_MS are touched: a live request may still be starting (or
 * undoing) its own. The look-back bounds the scan to the recent rows the indexes on openedAt /
 * createdAt reach; `limit` bounds one sweep's work per kind.
 */
export interface SweepOptions {
  now: number;
  /** Rows younger than this are left to their request (default REQUEST_LEASE_MS). */
  leaseMs?: number;
  /** How far back to look (default 7 days). */
  lookBackMs?: number;
  /** Rows per kind per sweep (default 50). */
  limit?: number;
}

export interface SweepResult {
  /** Workflows this sweep started, by kind. */
  started: { cases: number; leads: number; sales: number };
  /** Rows whose workflow Temporal already knew (a worker behind on its first projection). */
  known: number;
  /** Rows it could not finish now (Temporal unreachable, a conversion refused): tried again next sweep. */
  failed: number;
}

export async function finishAbandonedOpenings(deps: AppDeps, o: SweepOptions): Promise<SweepResult> {
  const to = new Date(o.now - (o.leaseMs ?? REQUEST_LEASE_MS));
  const from = new Date(o.now - (o.lookBackMs ?? 7 * 24 * 3600_000));
  const take = o.limit ?? 50;
  const result: SweepResult = { started: { cases: 0, leads: 0, sales: 0 }, known: 0, failed: 0 };
  const finish = async <R extends { id: string }>(kind: keyof SweepResult['started'], rows: R[], ensure: (row: R) => Promise<{ started: boolean }>) => {
    for (const row of rows) {
      try {
        if ((await ensure(row)).started) {
          result.started[kind]++;
          deps.logger.warn({ kind, id: row.id }, 'abandoned opening finished: its workflow was started by the sweep');
        } else result.known++;
      } catch (err) {
        result.failed++;
        deps.logger.warn({ kind, id: row.id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'abandoned opening not finished; tried again next sweep');
      }
    }
  };
  const range = { from, to, take };
  await finish('cases', await findUnprojectedCasesOpenedBetween(deps.db, range), (row) => ensureCaseWorkflow(deps, row));
  await finish('leads', await findUnprojectedLeadsCreatedBetween(deps.db, range), (row) => ensureLeadWorkflow(deps, row));
  await finish('sales', await findUnprojectedSalesCreatedBetween(deps.db, range), (row) => finishOpenedSale(deps, row));
  return result;
}
