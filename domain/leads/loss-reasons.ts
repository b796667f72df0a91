import { joinPath, type Parsed, type ValidationIssue } from '../cases/errors.js';

/** Why a lead was lost: configured per organisation, counted in the lead report. */
export interface LossReason {
  code: string;
  name: { zh: string; en: string };
  /** Retired reasons stay readable on old leads but cannot be chosen any more. */
  active: boolean;
}

const r = (code: string, zh: string, en: string): LossReason => ({ code, name: { zh, en }, active: true });

export const DEFAULT_LOSS_REASONS: readonly LossReason[] = Object.freeze([
  r('price', '价格不合适', 'Price too high'),
  r('location', '位置不满意', 'Location'),
  r('layout', '户型不满意', 'Layout or product'),
  r('competitor', '选择竞品', 'Bought from a competitor'),
  r('financing', '资金或贷款问题', 'Financing'),
  r('purchase_restriction', '限购政策', 'Purchase restrictions'),
  r('unreachable', '联系不上', 'Unreachable'),
  r('no_need', '暂无购房需求', 'No longer buying'),
]);

const CODE = /^[a-z][a-z0-9_]{0,39}$/;

export function parseLossReasons(input: unknown): Parsed<LossReason[]> {
  if (!Array.isArray(input)) return { ok: false, errors: [{ path: '', message: 'expected a list of loss reasons' }] };
  const errors: ValidationIssue[] = [];
  const out: LossReason[] = [];
  const seen = new Set<string>();
  input.forEach((raw: unknown, i) => {
    const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const name = (typeof p.name === 'object' && p.name !== null ? p.name : {}) as Record<string, unknown>;
    if (typeof p.code !== 'string' || !CODE.test(p.code)) errors.push({ path: joinPath(i, 'code'), message: 'a code of lower-case letters, digits and _ (e.g. price)' });
    else if (seen.has(p.code)) errors.push({ path: joinPath(i, 'code'), message: `${p.code} is listed twice` });
    else seen.add(p.code);
    for (const lang of ['zh', 'en'] as const) {
      const text = name[lang];
      if (typeof text !== 'string' || text.trim().length === 0 || text.length > 80) errors.push({ path: joinPath(i, 'name', lang), message: 'a name of 1–80 characters is required' });
    }
    if (p.active !== undefined && typeof p.active !== 'boolean') errors.push({ path: joinPath(i, 'active'), message: 'active is true or false' });
    out.push({ code: p.code as string, name: { zh: String(name.zh ?? '').trim(), en: String(name.en ?? '').trim() }, active: p.active !== false });
  });
  if (!errors.length && !out.some((x) => x.active)) errors.push({ path: '', message: 'keep at least one active loss reason' });
  return errors.length ? { ok: false, errors } : { ok: true, value: out };
}

export function isActiveLossReason({ code, reasons }: { code: string; reasons: readonly LossReason[] }): boolean {
  return reasons.some((x) => x.code === code && x.active);
}
