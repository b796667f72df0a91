import type { Principal } from '../../domain/access.js';
import { DEFAULT_SALES_POLICY, parseSalesPolicy, type SalesPolicy } from '../../domain/sales/policy.js';
import type { Db } from '../../platform/db.js';
import { assertMayWriteSettings, invalidSettingsDocument, readOrgSetting, ruleErrors, saveOrgSettingWithAudit } from '../settings/org-settings.js';

/** The sales lifecycle's deadlines of an organisation (one document; new sales use the current one). */
export const SALES_SETTING_KEYS = { salesPolicy: 'sales-policy' } as const;

/** The sales lifecycle's deadlines (DESIGN.md section 3 defaults when none were saved). */
export async function findSalesPolicyByGroup(db: Db, groupId: string): Promise<SalesPolicy> {
  const raw = await readOrgSetting(db, groupId, SALES_SETTING_KEYS.salesPolicy);
  if (raw === undefined) return { ...DEFAULT_SALES_POLICY };
  const parsed = parseSalesPolicy(raw);
  // As for the other settings: a stored document that no longer parses must not stop sales.
  return parsed.ok ? parsed.value : { ...DEFAULT_SALES_POLICY };
}

/** Replaces the sales deadlines (new sales use them; missing fields take the defaults). */
export async function replaceSalesPolicy(db: Db, principal: Principal, document: unknown): Promise<SalesPolicy> {
  assertMayWriteSettings(principal);
  const parsed = parseSalesPolicy(document);
  if (!parsed.ok) throw invalidSettingsDocument(ruleErrors(parsed.errors));
  await saveOrgSettingWithAudit(db, principal, SALES_SETTING_KEYS.salesPolicy, parsed.value);
  return parsed.value;
}
