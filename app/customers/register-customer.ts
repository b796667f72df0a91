import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import { customerError } from './errors.js';
import { createCustomer, findCustomerOfGroupByPhone } from './repository.js';

export interface NewCustomer {
  name: string;
  phone: string;
  email?: string | undefined;
  consentToContact: boolean;
}

/** Registers a customer of the principal's organisation; 409 when one has the phone number already. */
export async function registerCustomer(db: Db, principal: Principal, c: NewCustomer) {
  const existing = await findCustomerOfGroupByPhone(db, principal.groupId, c.phone);
  if (existing) throw customerError('CUSTOMER_PHONE_TAKEN', { customerId: existing.id });
  return createCustomer(db, { groupId: principal.groupId, name: c.name, phone: c.phone, email: c.email ?? null, consentToContact: c.consentToContact });
}
