import { hasPermission, maskPhone, type Principal } from '../../domain/access.js';
import type { Customer } from './schemas.js';

/** A customer as the API shows it to `principal`: the phone number masked unless the role calls customers back. */
/** A customer row as the views need it. */
export interface CustomerRow {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  consentToContact: boolean;
  createdAt: Date;
}

/** Whether `principal`'s role sees phone numbers whole (it calls customers back), or masked. */
export const showsWholePhone = (principal: Principal) => hasPermission(principal.role, 'customers:read-contact');

/** A phone number as `principal` may see it: whole, or masked (138****8001, 0571-****6666). */
export const phoneFor = (principal: Principal, phone: string) => (showsWholePhone(principal) ? phone : maskPhone(phone));

export function toCustomerView(principal: Principal, c: CustomerRow): Customer {
  return {
    id: c.id,
    name: c.name,
    phone: phoneFor(principal, c.phone),
    email: c.email,
    consentToContact: c.consentToContact,
    createdAt: c.createdAt.toISOString(),
  };
}
