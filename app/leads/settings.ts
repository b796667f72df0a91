import type { Principal } from '../../domain/access.js';
import { DEFAULT_CADENCES, parseCadencePolicies, type CadencePolicy } from '../../domain/leads/cadence.js';
import { DEFAULT_LOSS_REASONS, parseLossReasons, type LossReason } from '../../domain/leads/loss-reasons.js';
import type { Db } from '../../platform/db.js';
import { settingsError } from '../settings/errors.js';
import { assertMayWriteSettings, invalidSettingsDocument, readOrgSetting, ruleErrors, saveOrgSettingWithAudit } from '../settings/org-settings.js';
import { findLossReasonCodesRecordedOnLeads } from './repository.js';

/**
 * The sales team's lead settings: follow-up cadences per grade and loss reasons. New leads and the
 * actions that open a new cadence window (re-grade, assignment, review) use the current ones.
 */
export const LEAD_SETTING_KEYS = { cadencePolicies: 'cadence-policies', lossReasons: 'loss-reasons' } as const;

/** The lead follow-up cadences, one per grade (DESIGN.md section 2 defaults when none were saved). */
export async function findCadencePoliciesByGroup(db: Db, groupId: string): Promise<CadencePolicy[]> {
  return cadencePoliciesOf(await readOrgSetting(db, groupId, LEAD_SETTING_KEYS.cadencePolicies));
}

/** findCadencePoliciesByGroup on the stored document's text (`value::text` of `org_setting`, null when none is saved). */
export function cadencePoliciesOfText(text: string | null): CadencePolicy[] {
  return cadencePoliciesOf(text === null ? undefined : JSON.parse(text));
}

function cadencePoliciesOf(raw: unknown): CadencePolicy[] {
  const fallback = () => DEFAULT_CADENCES.map((p) => ({ ...p }));
  if (raw === undefined) return fallback();
  const parsed = parseCadencePolicies(raw);
  // As for SLA policies: a stored document that no longer parses must not stop leads from arriving.
  return parsed.ok ? parsed.value : fallback();
}

/** The configured loss reasons, retired ones included (they stay readable on old leads). */
export async function findLossReasonsByGroup(db: Db, groupId: string): Promise<LossReason[]> {
  const raw = await readOrgSetting(db, groupId, LEAD_SETTING_KEYS.lossReasons);
  const fallback = () => DEFAULT_LOSS_REASONS.map((r) => ({ ...r, name: { ...r.name } }));
  if (raw === undefined) return fallback();
  const parsed = parseLossReasons(raw);
  return parsed.ok ? parsed.value : fallback();
}

/** Replaces the cadences (one per grade; new leads and new cadence windows use them). */
export async function replaceCadencePolicies(db: Db, principal: Principal, documents: unknown[]): Promise<CadencePolicy[]> {
  assertMayWriteSettings(principal);
  const parsed = parseCadencePolicies(documents);
  if (!parsed.ok) throw invalidSettingsDocument(ruleErrors(parsed.errors));
  await saveOrgSettingWithAudit(db, principal, LEAD_SETTING_KEYS.cadencePolicies, parsed.value);
  return parsed.value;
}

/** Replaces the loss reasons: a reason recorded on leads may be retired (active: false), never dropped. */
export async function replaceLossReasons(db: Db, principal: Principal, documents: unknown[]): Promise<LossReason[]> {
  assertMayWriteSettings(principal);
  const parsed = parseLossReasons(documents);
  if (!parsed.ok) throw invalidSettingsDocument(ruleErrors(parsed.errors));
  // A reason recorded on leads must stay defined, or reports and old leads lose its name.
  const kept = new Set(parsed.value.map((r) => r.code));
  const dropped = (await findLossReasonCodesRecordedOnLeads(db, principal.groupId)).filter((code) => !kept.has(code));
  if (dropped.length)
    throw invalidSettingsDocument(dropped.sort().map((code) => settingsError.field('body', 'LOSS_REASON_IN_USE', { reason: code })));
  await saveOrgSettingWithAudit(db, principal, LEAD_SETTING_KEYS.lossReasons, parsed.value);
  return parsed.value;
}
