import type { CaseWarranty } from '../../app/warranty/case-warranty.js';
import type { CaseWarrantyAnswer } from './schemas.js';

/** A case's warranty on the wire: flat, so a screen reads `status` without unpacking a union. */
export function warrantyView(w: CaseWarranty): CaseWarrantyAnswer {
  if (w.status === 'unknown') return { component: w.component, status: 'unknown', endsAt: null, lastDay: null, clause: null, basis: null, reason: w.reason };
  return {
    component: w.component,
    status: w.covered ? 'in' : 'out',
    endsAt: w.endsAt === null ? null : new Date(w.endsAt).toISOString(),
    lastDay: w.lastDay,
    clause: { code: w.clause.code, zh: w.clause.zh, en: w.clause.en },
    basis: w.basis,
    reason: null,
  };
}
