import { Counter, Gauge, type Registry } from 'prom-client';
import { TIERS } from '../../domain/cases/types.js';
import type { Db } from '../../platform/db.js';
import { METRICS_PREFIX } from '../../platform/metrics.js';
import { CASE_SLA_STATES, countOpenCasesByTierAndSlaState, measureEmailBacklog } from './repository.js';

/**
 * Gauges read from the read model when Prometheus scrapes (the API registers them): open cases by
 * tier and SLA state, and the email outbox's backlog. Several API replicas report the same values
 * (the dashboard takes `max`). Results are kept `cacheMs` so frequent scrapes cost one query per
 * period; a failing query leaves the last values and counts the failure.
 */
export function registerReadModelGauges(registry: Registry, db: Db, opts: { cacheMs?: number; now?: () => Date } = {}): void {
  const cacheMs = opts.cacheMs ?? 5_000;
  const now = opts.now ?? (() => new Date());
  let readAt = 0;
  let reading: Promise<void> | null = null;
  // prom-client awaits each metric's `collect` before serialising it: the first one refreshes all.
  async function collect() {
    if (Date.now() - readAt < cacheMs) return;
    reading ??= read()
      .catch(() => readFailures.inc())
      .finally(() => (reading = null));
    await reading;
  }

  const openCases = new Gauge({
    name: `${METRICS_PREFIX}open_cases`,
    help: 'Cases not closed, by current tier and SLA state (read model)',
    labelNames: ['tier', 'sla_state'] as const,
    registers: [registry],
    collect,
  });
  const pendingEmails = new Gauge({ name: `${METRICS_PREFIX}email_outbox_pending`, help: 'Emails accepted but not yet handed to SMTP', registers: [registry], collect });
  const oldestPending = new Gauge({
    name: `${METRICS_PREFIX}email_outbox_oldest_pending_seconds`,
    help: 'Age of the oldest email not yet handed to SMTP (0 when none)',
    registers: [registry],
    collect,
  });
  const failedEmails = new Gauge({ name: `${METRICS_PREFIX}email_outbox_failed`, help: 'Emails the SMTP server refused permanently', registers: [registry], collect });
  const readFailures = new Counter({
    name: `${METRICS_PREFIX}read_model_gauge_failures_total`,
    help: 'Scrapes whose read-model query failed (the gauges kept their previous values)',
    registers: [registry],
  });

  async function read() {
    const at = now();
    const [cases, backlog] = await Promise.all([countOpenCasesByTierAndSlaState(db, at), measureEmailBacklog(db, at)]);
    // Every combination is reported, zeros included, so a panel's series never vanish.
    for (const tier of TIERS) for (const state of CASE_SLA_STATES) openCases.set({ tier, sla_state: state }, 0);
    for (const row of cases) openCases.set({ tier: row.tier, sla_state: row.state }, row.count);
    pendingEmails.set(backlog.pending);
    oldestPending.set(backlog.oldestPendingSeconds);
    failedEmails.set(backlog.failed);
    readAt = Date.now();
  }
}
