/**
 * The caller/prospect part of the new-case and new-lead forms: phone and name, registered
 * customers whose phone matches what has been typed, and the link to the one picked. Phone
 * numbers are shown as the API returns them (masked for roles that do not call customers).
 */
import { useEffect, useState } from 'react';
import { api, type Customer } from './api.js';
import { useI18n } from './i18n.js';
import { Icon } from './icons.js';
import { Field } from './ui.js';

/** Registered customers whose phone matches what has been typed (debounced). */
export function usePhoneMatches(phone: string, skip: boolean): Customer[] {
  const [matches, setMatches] = useState<Customer[]>([]);
  useEffect(() => {
    const digits = phone.replace(/\D/g, '');
    if (skip || digits.length < 4) {
      setMatches([]);
      return;
    }
    const c = new AbortController();
    const timer = window.setTimeout(() => {
      api.customers({ q: digits, page: 1, pageSize: 5 }, c.signal).then(
        (p) => setMatches(p.items),
        () => undefined,
      );
    }, 250);
    return () => {
      window.clearTimeout(timer);
      c.abort();
    };
  }, [phone, skip]);
  return matches;
}

interface CustomerFieldsProps {
  ids: { phone: string; name: string };
  phone: string;
  name: string;
  customer: Customer | null;
  errors: { phone?: string | undefined; name?: string | undefined };
  onPhone: (v: string) => void;
  onName: (v: string) => void;
}

/** The phone and name inputs; read-only while a registered customer is linked. */
export function CustomerFields({ ids, phone, name, customer, errors, onPhone, onName }: CustomerFieldsProps) {
  const { t } = useI18n();
  return (
    <>
      <Field label={t('newCase.phone')} htmlFor={ids.phone} error={errors.phone} hint={t('newCase.phoneHint')} required>
        <input
          id={ids.phone}
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={customer ? customer.phone : phone}
          readOnly={Boolean(customer)}
          maxLength={32}
          onChange={(e) => onPhone(e.target.value)}
          autoFocus
        />
      </Field>
      <Field label={t('newCase.name')} htmlFor={ids.name} error={errors.name} required>
        <input
          id={ids.name}
          name="customerName"
          autoComplete="off"
          value={customer ? customer.name : name}
          readOnly={Boolean(customer)}
          maxLength={60}
          onChange={(e) => onName(e.target.value)}
        />
      </Field>
    </>
  );
}

/** Under the inputs: the linked customer (with unlink), the matches to pick from, or "a new customer". */
export function CustomerMatches({
  phone,
  customer,
  matches,
  onCustomer,
  newCustomerText,
}: {
  phone: string;
  customer: Customer | null;
  matches: Customer[];
  onCustomer: (c: Customer | null) => void;
  /** What a phone nobody has yet means here (a new caller, a new prospect). */
  newCustomerText: string;
}) {
  const { t } = useI18n();
  if (customer)
    return (
      <div className="customer-link" data-testid="linked-customer">
        <Icon name="customers" size={16} />
        <span>{t('newCase.existing', { name: customer.name })}</span>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => onCustomer(null)}>
          {t('newCase.unlink')}
        </button>
      </div>
    );
  if (matches.length > 0)
    return (
      <div className="customer-matches" data-testid="customer-matches">
        <span className="muted">{t('newCase.matches')}</span>
        {matches.map((m) => (
          <button key={m.id} type="button" className="btn btn-small" data-testid="customer-match" onClick={() => onCustomer(m)}>
            {m.name} · <span className="mono">{m.phone}</span>
          </button>
        ))}
      </div>
    );
  if (phone.replace(/\D/g, '').length >= 4) return <div className="customer-link muted">{newCustomerText}</div>;
  return null;
}
