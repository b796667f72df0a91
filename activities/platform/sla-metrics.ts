import { Counter, type Registry } from 'prom-client';
import type { EscalationSource } from '../../domain/cases/case-state.js';
import { isTier, TARGETS } from '../../domain/cases/types.js';
import { METRICS_PREFIX } from '../../platform/metrics.js';

/**
 * The SLA counters, counted where the audit trail records the event (once: a retried
 * `recordAuditEvent` that finds its row already written counts nothing). Labels are enums read
 * from the event's data (tier, target, escalation source); anything else becomes `other`.
 */
export interface SlaMetrics {
  countAuditEvent(event: { type: string; data: Record<string, unknown> }): void;
}

const ESCALATION_SOURCES: readonly string[] = ['breach', 'handler', 'callback'] satisfies EscalationSource[];
const TARGET_NAMES: readonly string[] = TARGETS;

const tierOf = (v: unknown) => (isTier(v) ? v : 'other');
const targetOf = (v: unknown) => (typeof v === 'string' && TARGET_NAMES.includes(v) ? v : 'other');
const sourceOf = (v: unknown) => (typeof v === 'string' && ESCALATION_SOURCES.includes(v) ? v : 'other');

export function createSlaMetrics(registry: Registry): SlaMetrics {
  const warnings = new Counter({
    name: `${METRICS_PREFIX}sla_warnings_total`,
    help: 'SLA warnings recorded, by target and tier',
    labelNames: ['target', 'tier'] as const,
    registers: [registry],
  });
  const breaches = new Counter({
    name: `${METRICS_PREFIX}sla_breaches_total`,
    help: 'SLA breaches recorded, by target and tier',
    labelNames: ['target', 'tier'] as const,
    registers: [registry],
  });
  const escalations = new Counter({
    name: `${METRICS_PREFIX}escalations_total`,
    help: 'Escalations by outcome (requested, approved, rejected, auto_escalated), with the requested tier and, for requests, their source',
    labelNames: ['outcome', 'to_tier', 'source'] as const,
    registers: [registry],
  });
  return {
    countAuditEvent({ type, data }) {
      switch (type) {
        case 'sla.warned':
          warnings.inc({ target: targetOf(data.target), tier: tierOf(data.tier) });
          return;
        case 'sla.breached':
          breaches.inc({ target: targetOf(data.target), tier: tierOf(data.tier) });
          return;
        case 'escalation.requested':
          escalations.inc({ outcome: 'requested', to_tier: tierOf(data.toTier), source: sourceOf(data.source) });
          return;
        case 'escalation.approved':
        case 'escalation.rejected':
        case 'escalation.auto_escalated':
          escalations.inc({ outcome: type.slice('escalation.'.length), to_tier: tierOf(data.toTier), source: '' });
          return;
      }
    },
  };
}
