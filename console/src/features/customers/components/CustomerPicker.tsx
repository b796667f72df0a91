/**
 * The caller/prospect/buyer part of the new-lead and new-sale forms (antd Form fields): phone and
 * name, registered customers whose phone matches what has been typed, and the link to the one
 * picked. Phone numbers are shown as the API returns them (masked for roles that do not call
 * customers). The values and their errors belong to the form using it (react-hook-form or its own
 * state): these parts only show them, so the same rules apply whichever form it sits in.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Flex, Form, Input } from 'antd';
import { UserOutlined } from '@ant-design/icons';
import { useI18n } from '../../../i18n.js';
import { usePhoneMatchesQuery, type Customer } from '../api.js';
import '../i18n.js';

/** How long to wait after the last keystroke before looking the number up. */
const LOOKUP_DEBOUNCE_MS = 250;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return v;
}

/** Registered customers whose phone matches what has been typed (debounced; none under 4 digits or when `skip`). */
export function usePhoneMatches(phone: string, skip: boolean): Customer[] {
  const digits = phone.replace(/\D/g, '');
  const debounced = useDebounced(digits, LOOKUP_DEBOUNCE_MS);
  const query = usePhoneMatchesQuery(debounced, !skip);
  // What was looked up must still be what is typed: no stale matches for a number since changed.
  return !skip && digits.length >= 4 && debounced === digits ? (query.data ?? []) : [];
}

/**
 * A field's row: its error (if any) under it, in the form's words. The `field has-error` and
 * `field-error` classes are the hooks the lead journey's browser test reads; `display: contents`
 * keeps the wrapper out of the layout.
 */
function CustomerRow({ name, htmlFor, label, error, hint, children }: { name: string; htmlFor: string; label: string; error: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <div className={error ? 'field has-error' : undefined} style={{ display: 'contents' }}>
      <Form.Item
        label={label}
        htmlFor={htmlFor}
        required
        validateStatus={error ? 'error' : undefined}
        help={
          error ? (
            <span className="field-error" data-testid={`error-${name}`} role="alert">
              {error}
            </span>
          ) : undefined
        }
        extra={hint}
        data-field={name}
      >
        {children}
      </Form.Item>
    </div>
  );
}

interface CustomerFieldsProps {
  ids: { phone: string; name: string };
  phone: string;
  name: string;
  customer: Customer | null;
  errors: { phone?: string | undefined; name?: string | undefined };
  onPhone: (v: string) => void;
  onName: (v: string) => void;
  /** Leaving a field (a react-hook-form form checks a field when it is left). */
  onBlur?: (field: 'phone' | 'name') => void;
}

/** The phone and name inputs; read-only while a registered customer is linked. */
export function CustomerFields({ ids, phone, name, customer, errors, onPhone, onName, onBlur }: CustomerFieldsProps) {
  const { t } = useI18n();
  return (
    // Its own (element-less) antd form context, so the fields lay out the same in an antd Form or a plain one.
    <Form component={false} layout="vertical">
      <CustomerRow name="phone" htmlFor={ids.phone} label={t('customerPicker.phone')} error={errors.phone} hint={t('customerPicker.phoneHint')}>
        <Input
          id={ids.phone}
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={customer ? customer.phone : phone}
          readOnly={Boolean(customer)}
          maxLength={40}
          onChange={(e) => onPhone(e.target.value)}
          onBlur={() => onBlur?.('phone')}
          autoFocus
        />
      </CustomerRow>
      <CustomerRow name="name" htmlFor={ids.name} label={t('customerPicker.name')} error={errors.name}>
        <Input
          id={ids.name}
          name="customerName"
          autoComplete="off"
          value={customer ? customer.name : name}
          readOnly={Boolean(customer)}
          maxLength={60}
          onChange={(e) => onName(e.target.value)}
          onBlur={() => onBlur?.('name')}
        />
      </CustomerRow>
    </Form>
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
  /** What a phone nobody has yet means here (a new caller, a new prospect, a new buyer). */
  newCustomerText: string;
}) {
  const { t } = useI18n();
  if (customer)
    return (
      <Flex className="customer-link" data-testid="linked-customer" align="center" gap={8} wrap>
        <UserOutlined aria-hidden />
        <span>{t('customerPicker.linked', { name: customer.name })}</span>
        <Button size="small" onClick={() => onCustomer(null)} data-testid="unlink-customer">
          {t('customerPicker.unlink')}
        </Button>
      </Flex>
    );
  if (matches.length > 0)
    return (
      <Flex className="customer-matches" data-testid="customer-matches" align="center" gap={8} wrap>
        <span className="muted">{t('customerPicker.matches')}</span>
        {matches.map((m) => (
          <Button key={m.id} size="small" data-testid="customer-match" onClick={() => onCustomer(m)}>
            {m.name} · <span className="mono">{m.phone}</span>
          </Button>
        ))}
      </Flex>
    );
  if (phone.replace(/\D/g, '').length >= 4) return <div className="customer-link muted">{newCustomerText}</div>;
  return null;
}
