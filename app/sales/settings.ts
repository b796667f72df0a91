import type { Principal } from '../../domain/access.js';
import { DEFAULT_SALES_POLICY, parseSalesPolicy, type SalesPolicy } from '../../domain/sales/policy.js';
import type { Db } from '../../platform/db.js';
import { readParsedSetting, replaceParsedSetting } from '../settings/org-settings.js';

/** The sales lifecycle's deadlines of an organisation (one document; new sales use the current one). */
export const SALES_SETTING_KEYS = { salesPolicy: 'sales-policy' } as const;

/** The sales lifecycle's deadlines (DESIGN.md section 3 defaults when none were saved, or when a stored one no longer parses). */
export function findSalesPolicyByGroup(db: Db, groupId: string): Promise<SalesPolicy> {
  return readParsedSetting(db, groupId, SALES_SETTING_KEYS.salesPolicy, parseSalesPolicy, () => ({ ...DEFAULT_SALES_POLICY }));
}

/** Replaces the sales deadlines (new sales use them; missing fields take the defaults). */
export function replaceSalesPolicy(db: Db, principal: Principal, document: unknown): Promise<SalesPolicy> {
  return replaceParsedSetting(db, principal, SALES_SETTING_KEYS.salesPolicy, parseSalesPolicy, document);
}
