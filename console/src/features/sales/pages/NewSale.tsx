/**
 * 新建认购: the buyer (a registered customer found by phone, or a new one registered first), the
 * project and one of its available units, price, deposit and payment method; sales managers may
 * name the salesperson responsible. The Idempotency-Key is kept across retries of the same form
 * and renewed when anything changes; a failed submit keeps everything typed. On 201 the sale's
 * page opens, its contract deadline already counting down.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { hasPermission } from '../../../../../domain/access.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../../../domain/sales/types.js';
import { api, fieldErrorsOf, uuid, type Customer, type FieldError, type Unit, type User } from '../../../api.js';
import { CustomerFields, CustomerMatches, usePhoneMatches } from '../../../customer-picker.js';
import { formatArea } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Icon } from '../../../icons.js';
import { StaffSelect, useSalesStaff } from '../../../lead-ui.js';
import { useOrgLookups } from '../../org/lookups.js';
import { navigate } from '../../../router.js';
import { fenOf, parseAmount } from '../model.js';
import type { CreateSaleRequest } from '../../../sales-api.js';
import { Card, Field, SuccessNotice, useAsync } from '../../../ui.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useCreateSale } from '../api.js';
import '../i18n.js';

const SALE_FIELDS = ['customerId', 'unitId', 'price', 'deposit', 'paymentMethod', 'ownerId'] as const;
const CUSTOMER_FIELDS = ['name', 'phone', 'email', 'consentToContact'] as const;

export function NewSalePage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const isManager = hasPermission(user.role, 'sales:approve');
  const staff = useSalesStaff(user);
  const [projectId, setProjectId] = useState(user.scope.projectId ?? '');
  const [unitId, setUnitId] = useState('');
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [consent, setConsent] = useState(true);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [price, setPrice] = useState('');
  const [deposit, setDeposit] = useState('');
  const [paymentMethod, setPaymentMethod] = useState<PaymentMethod>('mortgage');
  const [ownerId, setOwnerId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<FieldError[]>([]);
  const keyRef = useRef(uuid());
  const ids = { project: useId(), unit: useId(), phone: useId(), name: useId(), email: useId(), consent: useId(), price: useId(), deposit: useId(), owner: useId() };
  const matches = usePhoneMatches(phone, Boolean(customer));
  const create = useCreateSale();

  // Any edit makes a new request; an unchanged retry reuses the key (the API answers the same sale).
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      keyRef.current = uuid();
      set(v);
    };

  // The only project in scope is preselected.
  useEffect(() => {
    if (!projectId && lookups.projects.length === 1) setProjectId(lookups.projects[0]!.id);
  }, [lookups.projects, projectId]);

  const units = useAsync(
    (signal) => (projectId ? api.units(projectId, { status: 'AVAILABLE', page: 1, pageSize: 200 }, signal).then((p) => p.items) : Promise.resolve([] as Unit[])),
    [projectId],
  );
  // The API filters by status; the console checks again, so a unit reserved meanwhile is never offered.
  const available = (units.data ?? []).filter((u) => u.status === 'AVAILABLE');
  const project = lookups.projects.find((p) => p.id === projectId) ?? null;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Record<string, string> = {};
    const p = parseAmount(price);
    const d = parseAmount(deposit);
    if (!projectId) local.projectId = t('validation.required');
    if (!unitId) local.unitId = t('validation.required');
    if (!customer && !phone.trim()) local.phone = t('validation.required');
    if (!customer && !name.trim()) local.name = t('validation.required');
    if (!p) local.price = t('lead.invalidMoney');
    if (!d) local.deposit = t('lead.invalidMoney');
    if (p && d && (fenOf(d) ?? 0n) > (fenOf(p) ?? 0n)) local.deposit = t('lead.depositTooHigh');
    setError(null);
    setOtherErrors([]);
    setFieldErrors(local);
    if (Object.keys(local).length > 0) return;

    setBusy(true);
    let buyer = customer;
    if (!buyer) {
      // A new buyer is registered first and then linked, so a retry does not register them twice.
      try {
        buyer = await api.createCustomer({ name: name.trim(), phone: phone.trim(), ...(email.trim() ? { email: email.trim() } : {}), consentToContact: consent });
        setCustomer(buyer);
        setNotice(t('newSale.customerCreated', { name: buyer.name }));
      } catch (err) {
        const { byField, rest } = fieldErrorsOf(err, CUSTOMER_FIELDS);
        setFieldErrors(byField);
        setOtherErrors(rest);
        setError(err);
        setBusy(false);
        return;
      }
    }
    const body: CreateSaleRequest = {
      customerId: buyer.id,
      unitId,
      price: p!,
      deposit: d!,
      paymentMethod,
      ...(isManager && ownerId ? { ownerId } : {}),
    };
    try {
      const created = await create.mutateAsync({ body, key: keyRef.current });
      keyRef.current = uuid();
      navigate(`/sales/${encodeURIComponent(created.id)}`);
    } catch (err) {
      const { byField, rest } = fieldErrorsOf(err, SALE_FIELDS);
      if (byField.customerId) {
        byField.phone = byField.customerId;
        delete byField.customerId;
      }
      setFieldErrors(byField);
      setOtherErrors(rest);
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <SuccessNotice message={notice} onClose={() => setNotice(null)} />
      <Card title={t('newSale.title')} className="case-form-card">
        <p className="card-intro muted">{t('newSale.intro')}</p>
        <form className="form case-form" onSubmit={submit} noValidate data-testid="sale-form">
          <ProblemAlert error={error} extraErrors={otherErrors} withCode />

          <div className="form-grid">
            <CustomerFields
              ids={ids}
              phone={phone}
              name={name}
              customer={customer}
              errors={{ phone: fieldErrors.phone, name: fieldErrors.name }}
              onPhone={edit(setPhone)}
              onName={edit(setName)}
            />
          </div>
          <CustomerMatches phone={phone} customer={customer} matches={matches} onCustomer={edit(setCustomer)} newCustomerText={t('newSale.newCustomer')} />
          {!customer ? (
            <div className="form-grid">
              <Field label={t('newSale.email')} htmlFor={ids.email} error={fieldErrors.email} hint={t('newSale.emailHint')}>
                <input id={ids.email} name="email" type="email" autoComplete="off" value={email} maxLength={200} onChange={(e) => edit(setEmail)(e.target.value)} />
              </Field>
              <Field label={t('newSale.consent')} htmlFor={ids.consent} error={fieldErrors.consentToContact}>
                <label className="checkbox">
                  <input id={ids.consent} name="consentToContact" type="checkbox" checked={consent} onChange={(e) => edit(setConsent)(e.target.checked)} />
                  <span>{t('newSale.consentLabel')}</span>
                </label>
              </Field>
            </div>
          ) : null}

          <div className="form-grid">
            <Field label={t('newSale.project')} htmlFor={ids.project} error={fieldErrors.projectId} required>
              <select
                id={ids.project}
                name="projectId"
                value={projectId}
                onChange={(e) => {
                  edit(setProjectId)(e.target.value);
                  setUnitId('');
                  setOwnerId('');
                }}
              >
                <option value="">{t('common.choose')}</option>
                {lookups.projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                    {p.city ? ` · ${p.city}` : ''}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label={t('newSale.unit')}
              htmlFor={ids.unit}
              error={fieldErrors.unitId}
              required
              hint={!projectId ? t('newSale.chooseProject') : available.length === 0 && !units.loading ? t('newSale.noUnits') : t('newSale.unitHint')}
            >
              <select id={ids.unit} name="unitId" value={unitId} onChange={(e) => edit(setUnitId)(e.target.value)} disabled={!projectId || units.loading} data-testid="sale-unit">
                <option value="">{projectId && units.loading ? t('app.loading') : t('common.choose')}</option>
                {available.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.buildingName} {u.number} · {formatArea(u.area, lang)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <ProblemAlert error={units.error} onRetry={units.reload} withCode />

          <div className="form-grid">
            <Field label={t('newSale.price')} htmlFor={ids.price} error={fieldErrors.price} required>
              <input id={ids.price} name="price" inputMode="decimal" autoComplete="off" value={price} onChange={(e) => edit(setPrice)(e.target.value)} />
            </Field>
            <Field label={t('newSale.deposit')} htmlFor={ids.deposit} error={fieldErrors.deposit} required>
              <input id={ids.deposit} name="deposit" inputMode="decimal" autoComplete="off" value={deposit} onChange={(e) => edit(setDeposit)(e.target.value)} />
            </Field>
          </div>

          <div className="form-row">
            <fieldset className="segmented" data-testid="payment-method">
              <legend>
                {t('newSale.paymentMethod')}
                <span className="required" aria-hidden="true">
                  {' '}
                  *
                </span>
              </legend>
              {PAYMENT_METHODS.map((m) => (
                <label key={m} className={`segment${paymentMethod === m ? ' active' : ''}`}>
                  <input type="radio" name="paymentMethod" value={m} checked={paymentMethod === m} onChange={() => edit(setPaymentMethod)(m)} />
                  {t(`payMethod.${m}` as const)}
                </label>
              ))}
            </fieldset>
            {isManager ? (
              <div className={`field channel-field${fieldErrors.ownerId ? ' has-error' : ''}`}>
                <label htmlFor={ids.owner}>{t('sales.owner')}</label>
                <StaffSelect id={ids.owner} staff={staff.staff} project={project} value={ownerId} onChange={edit(setOwnerId)} loading={staff.loading} testId="sale-owner" />
              </div>
            ) : null}
          </div>
          {fieldErrors.paymentMethod || fieldErrors.ownerId ? (
            <div className="field-error" role="alert">
              {fieldErrors.paymentMethod ?? fieldErrors.ownerId}
            </div>
          ) : null}

          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="submit-sale">
              {busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : <Icon name="saleNew" size={16} />}
              {busy ? t('newSale.submitting') : t('newSale.submit')}
            </button>
          </div>
        </form>
      </Card>
    </div>
  );
}
