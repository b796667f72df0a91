import type { Principal } from '../../domain/access.js';
import { DEFAULT_WARRANTY_SETTINGS, parseWarrantySettings, type WarrantySettings } from '../../domain/warranty/settings.js';
import type { Db } from '../../platform/db.js';
import { readParsedSetting, replaceParsedSetting } from '../settings/org-settings.js';

/** The warranty settings of an organisation: one document (categories → components, longer periods, seasons, the contractors' retention thresholds). */
export const WARRANTY_SETTING_KEYS = { warranty: 'warranty' } as const;

/** The organisation's warranty settings (the defaults when none were saved, or when a stored one no longer parses). */
export function findWarrantySettingsByGroup(db: Db, groupId: string): Promise<WarrantySettings> {
  return readParsedSetting(db, groupId, WARRANTY_SETTING_KEYS.warranty, parseWarrantySettings, () => DEFAULT_WARRANTY_SETTINGS);
}

/** Replaces the warranty settings (missing parts take the defaults); audited like every settings document. */
export function replaceWarrantySettings(db: Db, principal: Principal, document: unknown): Promise<WarrantySettings> {
  return replaceParsedSetting(db, principal, WARRANTY_SETTING_KEYS.warranty, parseWarrantySettings, document);
}
