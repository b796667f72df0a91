import { canWriteSettings, type Principal } from '../../domain/access.js';
import { joinPath, type ValidationIssue } from '../../domain/cases/errors.js';
import type { Db } from '../../platform/db.js';
import { appendAuditEvent } from '../audit/repository.js';
import type { DomainError, FieldError } from '../errors.js';
import type { Parsed } from '../../domain/cases/errors.js';
import { settingsError } from './errors.js';
import { findOrgSettingValue, upsertOrgSetting } from './repository.js';

/**
 * Administrator-edited settings of one organisation, stored as validated JSON documents in
 * `org_setting`, one per key. Each module owns its documents (app/cases/settings.ts: SLA policies,
 * calendars, categories; app/leads/settings.ts: cadences, loss reasons; app/sales/settings.ts: the
 * sales policy): their keys, parsing and handbook defaults. What they share is here: reading a
 * stored document, who may replace one, and the audit of every change.
 */

/** The stored document, or undefined when none was saved (the module then falls back to its defaults). */
export function readOrgSetting(db: Db, groupId: string, key: string): Promise<unknown | undefined> {
  return findOrgSettingValue(db, groupId, key);
}

/** The domain's validation issues (English rules, not yet codes of their own) as field errors under `body` (`body.<index>.<field>`). */
export function ruleErrors(issues: readonly ValidationIssue[]): FieldError[] {
  return issues.map((i) => settingsError.field(joinPath('body', i.path), 'RULE_BROKEN', { rule: i.message }));
}

/** 400 SETTINGS_INVALID listing what is wrong with a document, field by field. */
export function invalidSettingsDocument(errors: readonly FieldError[]): DomainError {
  return settingsError('SETTINGS_INVALID', {}, { fieldErrors: errors });
}

export function assertMayWriteSettings(p: Principal): void {
  if (!canWriteSettings(p)) throw settingsError('SETTINGS_GROUP_ADMIN_ONLY');
}

/** Saves a settings document and records the change in the organisation's audit trail (`settings:<group>:<key>`). */
export async function saveOrgSettingWithAudit(db: Db, p: Principal, key: string, value: unknown): Promise<void> {
  await upsertOrgSetting(db, { groupId: p.groupId, key, value, updatedBy: p.id });
  await appendAuditEvent(db, {
    streamId: `settings:${p.groupId}:${key}`,
    type: 'settings.changed',
    actor: p.id,
    at: new Date(),
    groupId: p.groupId,
    data: { key, count: Array.isArray(value) ? value.length : null },
  });
}

/**
 * A one-document setting read through its domain parser: the stored document, or `fallback` when
 * none was saved or a stored one no longer parses (a rule got stricter: it must not stop the work
 * that reads it).
 */
export async function readParsedSetting<T>(db: Db, groupId: string, key: string, parse: (raw: unknown) => Parsed<T>, fallback: () => T): Promise<T> {
  const raw = await readOrgSetting(db, groupId, key);
  if (raw === undefined) return fallback();
  const parsed = parse(raw);
  return parsed.ok ? parsed.value : fallback();
}

/** Replaces a one-document setting after its domain parser accepted it (400 with every bad field otherwise); group administrators only, audited. */
export async function replaceParsedSetting<T>(db: Db, principal: Principal, key: string, parse: (raw: unknown) => Parsed<T>, document: unknown): Promise<T> {
  assertMayWriteSettings(principal);
  const parsed = parse(document);
  if (!parsed.ok) throw invalidSettingsDocument(ruleErrors(parsed.errors));
  await saveOrgSettingWithAudit(db, principal, key, parsed.value);
  return parsed.value;
}
