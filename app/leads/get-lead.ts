import type { Principal } from '../../domain/access.js';
import type { Customer } from '../../prisma/generated/client.js';
import { findCustomerById } from '../customers/repository.js';
import type { AppDeps } from '../shared/deps.js';
import { findLeadRecord, type LeadRecord } from './repository.js';
import { loadLeadFor } from './work-lead.js';

/**
 * One lead the principal may read, with its names, its live state when the workflow answers (an
 * ended lead's row is final), and on a referral the referring owner (业主).
 */
export async function getLead(deps: AppDeps, principal: Principal, id: string): Promise<LeadRecord & { referrer: Customer | null }> {
  const { row, live } = await loadLeadFor(deps, principal, id, 'read');
  const [record, referrer] = await Promise.all([findLeadRecord(deps.db, row, live), row.referrerCustomerId ? findCustomerById(deps.db, row.referrerCustomerId) : null]);
  return { ...record, referrer };
}
