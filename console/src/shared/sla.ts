/**
 * Client-side SLA display: one shared one-second tick for every countdown on the page, and the
 * state of a target at an instant (pending, running, warning, paused, met, breached). The
 * workflow owns the deadlines; the console only counts down to what the API said.
 */
import { useSyncExternalStore } from 'react';
import type { CaseStatus } from '../../../domain/cases/types.js';
import type { SlaTarget } from '../../../api/cases/schemas.js';
import type { Lang } from '../i18n.js';

/** An instant as the console's clocks take it: the API's ISO strings, or epoch milliseconds. */
export type Instant = string | number;

// ---------------------------------------------------------------------------------------------
// The tick

let now = Date.now();
let timer: number | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = window.setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time in epoch ms, re-rendering the caller once a second (one interval for all). */
export function useNowMs(): number {
  return useSyncExternalStore(subscribe, () => now);
}

// ---------------------------------------------------------------------------------------------
// Target state

export function toMs(v: Instant | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(n) ? n : null;
}

export type TargetState = 'pending' | 'running' | 'warning' | 'paused' | 'met' | 'met_late' | 'breached';

export interface TargetView {
  state: TargetState;
  dueAt: number | null;
  /** Wall time left (negative once overdue); for a paused target, what was left when it stopped. */
  remainingMs: number | null;
  metAt: number | null;
  breachedAt: number | null;
}

/**
 * The state of one target at `nowMs`. A paused target shows what was left when it stopped (the
 * API's `remainingMs`; `loadedAt` is the fallback instant when it is absent).
 */
export function targetView(t: SlaTarget | null | undefined, caseStatus: CaseStatus, nowMs: number, loadedAt = nowMs): TargetView {
  if (!t) return { state: 'pending', dueAt: null, remainingMs: null, metAt: null, breachedAt: null };
  const dueAt = toMs(t.dueAt);
  const metAt = toMs(t.metAt);
  const breachedAt = toMs(t.breachedAt);
  if (metAt !== null) {
    return { state: breachedAt !== null || (dueAt !== null && metAt > dueAt) ? 'met_late' : 'met', dueAt, remainingMs: null, metAt, breachedAt };
  }
  const paused = t.status === 'paused' || ((t.status === null || t.status === undefined) && caseStatus === 'waiting_on_customer');
  if (caseStatus === 'closed') return { state: breachedAt !== null ? 'breached' : 'pending', dueAt, remainingMs: null, metAt, breachedAt };
  // While paused the deadline stands still: what is left is what the API measured (clock time).
  const remainingMs = paused
    ? (t.remainingMs ?? (dueAt === null ? null : dueAt - loadedAt))
    : dueAt === null
      ? null
      : dueAt - nowMs;
  let state: TargetState;
  if (breachedAt !== null || (remainingMs !== null && remainingMs <= 0)) state = 'breached';
  else if (paused) state = 'paused';
  else if (toMs(t.warnedAt) !== null) state = 'warning';
  else state = 'running';
  return { state, dueAt, remainingMs, metAt, breachedAt };
}

/** The deadline a case row counts down to: the earliest unmet target of the current tier. */
export function nextTarget(
  sla: Record<string, SlaTarget | null>,
  order: readonly string[] = ['firstContact', 'resolution', 'callback'],
): { name: string; target: SlaTarget } | null {
  let best: { name: string; target: SlaTarget; due: number } | null = null;
  for (const name of order) {
    const t = sla[name];
    if (!t || toMs(t.metAt) !== null) continue;
    const due = toMs(t.dueAt) ?? Infinity;
    if (!best || due < best.due) best = { name, target: t, due };
  }
  return best ? { name: best.name, target: best.target } : null;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const pad = (n: number) => String(n).padStart(2, '0');

/** `2天 03:04:05` / `2d 03:04:05`, or `03:04:05` under a day; the sign is the caller's business. */
export function formatCountdown(ms: number, lang: Lang): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hms = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  if (days === 0) return hms;
  return lang === 'zh-CN' ? `${days}天 ${hms}` : `${days}d ${hms}`;
}

/** A duration for reports: `3小时12分` / `3h 12m`, `2天5小时` / `2d 5h`, `45秒` / `45s`. */
export function formatDuration(ms: number | null | undefined, lang: Lang): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const zh = lang === 'zh-CN';
  const s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return zh ? `${d}天${h}小时` : `${d}d ${h}h`;
  if (h > 0) return zh ? `${h}小时${m}分` : `${h}h ${m}m`;
  if (m > 0) return zh ? `${m}分${s % 60}秒` : `${m}m ${s % 60}s`;
  return zh ? `${s}秒` : `${s}s`;
}
