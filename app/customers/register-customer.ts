import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { customerError } from './errors.js';
import { isUniqueViolation } from '../../platform/db.js';
import { recordIdForRequest } from '../shared/request-identity.js';
import { createCustomer, findCustomerOfGroup, findCustomerOfGroupByPhone } from './repository.js';

export interface NewCustomer {
  name: string;
  phone: string;
  email?: string | undefined;
  consentToContact: boolean;
}

/**
 * Registers a customer of the principal's organisation; 409 when one has the phone number already.
 * With `requestKey` (the request's Idempotency-Key) the customer's id is the request's: run again
 * after the process that ran it first died, it answers the customer that run registered.
 */
export async function registerCustomer(db: Db, principal: Principal, c: NewCustomer, o: { requestKey?: string | null } = {}) {
  const id = o.requestKey ? recordIdForRequest('customer', o.requestKey) : undefined;
  const earlier = id ? await findCustomerOfGroup(db, principal.groupId, id) : null;
  if (earlier) return earlier;
  const existing = await findCustomerOfGroupByPhone(db, principal.groupId, c.phone);
  if (existing) throw customerError('CUSTOMER_PHONE_TAKEN', { customerId: existing.id });
  try {
    return await createCustomer(db, { ...(id ? { id } : {}), groupId: principal.groupId, name: c.name, phone: c.phone, email: c.email ?? null, consentToContact: c.consentToContact });
  } catch (err) {
    // Another run of the same request registered it first.
    const raced = id && isUniqueViolation(err) ? await findCustomerOfGroup(db, principal.groupId, id) : null;
    if (!raced) throw err;
    return raced;
  }
}
