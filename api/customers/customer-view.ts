import { hasPermission, maskPhone, type Principal } from '../../domain/access.js';
import type { Customer } from './schemas.js';

/** A customer as the API shows it to `principal`: the phone number masked unless the role calls customers back. */
export function toCustomerView(
  principal: Principal,
  c: { id: string; name: string; phone: string; email: string | null; consentToContact: boolean; createdAt: Date },
): Customer {
  return {
    id: c.id,
    name: c.name,
    phone: hasPermission(principal.role, 'customers:read-contact') ? c.phone : maskPhone(c.phone),
    email: c.email,
    consentToContact: c.consentToContact,
    createdAt: c.createdAt.toISOString(),
  };
}
