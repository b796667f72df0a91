/**
 * 新建线索: project, the prospect's phone (finding a registered customer) and name, source, grade
 * (with its cadence), owner (myself, round robin by grade, or — for sales managers — a named
 * colleague), a referrer for 老带新, and a note. The Idempotency-Key is kept across retries of the
 * same form and renewed when anything changes; a failed submit keeps everything typed.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { hasPermission } from '../../../../../domain/access.js';
import { GRADES, LEAD_SOURCES, type Grade, type LeadSource } from '../../../../../domain/leads/types.js';
import { CreateLeadBody } from '../../../../../api/leads/schemas.js';
import { fieldErrorsFromZod } from '../../../../../api/http/field-errors.js';
import { fieldErrorsOf, uuid, type Customer, type FieldError, type User } from '../../../api.js';
import { fieldErrorText } from '../../../problems.js';
import { useI18n } from '../../../i18n.js';
import { Icon } from '../../../shared/icons.js';
import { StaffSelect, cadenceText, useCadences, useSalesStaff } from '../components/lead-ui.js';
import { useCreateLead, type CreateLeadRequest } from '../api.js';
import { useOrgLookups } from '../../org/lookups.js';
import { navigate } from '../../../router.js';
import { Card, Field } from '../../../ui.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { CustomerFields, CustomerMatches, usePhoneMatches } from '../../customers/components/CustomerPicker.js';

const FIELDS = ['projectId', 'customer', 'customerId', 'source', 'grade', 'ownerId', 'referrerCustomerId', 'note'] as const;

type OwnerChoice = 'me' | 'auto' | 'pick';

export function NewLeadPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const cadences = useCadences();
  const isManager = hasPermission(user.role, 'leads:manage');
  const staff = useSalesStaff(user);
  const [projectId, setProjectId] = useState(user.scope.projectId ?? '');
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [source, setSource] = useState<LeadSource>('walk_in');
  const [grade, setGrade] = useState<Grade>('B');
  const [ownerChoice, setOwnerChoice] = useState<OwnerChoice>(isManager ? 'auto' : 'me');
  const [ownerId, setOwnerId] = useState('');
  const [referrerPhone, setReferrerPhone] = useState('');
  const [referrer, setReferrer] = useState<Customer | null>(null);
  const [note, setNote] = useState('');
  const create = useCreateLead();
  const busy = create.isPending;
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<FieldError[]>([]);
  const keyRef = useRef(uuid());
  // A field's error goes the moment the field is edited: a stale "required" never stays.
  const clearError = (field: string) =>
    setFieldErrors((e) => {
      if (!(field in e)) return e;
      const { [field]: _gone, ...rest } = e;
      return rest;
    });
  const ids = { project: useId(), phone: useId(), name: useId(), source: useId(), owner: useId(), referrer: useId(), note: useId() };
  const matches = usePhoneMatches(phone, Boolean(customer));
  const referrerMatches = usePhoneMatches(referrerPhone, Boolean(referrer) || source !== 'referral');

  // Any edit makes a new request; an unchanged retry reuses the key (the API answers the same lead).
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

  const project = lookups.projects.find((p) => p.id === projectId) ?? null;
  const policy = cadences?.find((p) => p.grade === grade);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Record<string, string> = {};
    if (!projectId) local.projectId = t('validation.required');
    if (!customer && !phone.trim()) local.phone = t('validation.required');
    if (!customer && !name.trim()) local.name = t('validation.required');
    if (ownerChoice === 'pick' && !ownerId) local.ownerId = t('validation.required');
    setError(null);
    setOtherErrors([]);
    setFieldErrors(local);
    if (Object.keys(local).length > 0) return;

    const body: CreateLeadRequest = {
      projectId,
      ...(customer ? { customerId: customer.id } : { customer: { name: name.trim(), phone: phone.trim() } }),
      source,
      grade,
      ...(ownerChoice === 'me' ? { ownerId: user.id } : ownerChoice === 'pick' ? { ownerId } : {}),
      ...(source === 'referral' && referrer ? { referrerCustomerId: referrer.id } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    // The server's own schema checks the form before it is sent: the same rules (a landline in any
    // format is a phone), the same codes, in the user's language, under the field they concern.
    const checked = CreateLeadBody.safeParse(body);
    if (!checked.success) {
      const byField: Record<string, string> = {};
      for (const f of fieldErrorsFromZod(checked.error, '')) {
        const field = f.path === 'customer.phone' || f.path === 'customer' ? 'phone' : f.path === 'customer.name' ? 'name' : f.path === 'referrerCustomerId' ? 'referrer' : f.path;
        byField[field] ??= fieldErrorText(lang, { path: f.path, code: f.reason, params: f.params as Record<string, string | number>, message: f.reason });
      }
      setFieldErrors(byField);
      return;
    }
    try {
      const created = await create.mutateAsync({ body, key: keyRef.current });
      keyRef.current = uuid();
      navigate(`/leads/${encodeURIComponent(created.id)}`);
    } catch (err) {
      const { byField, rest } = fieldErrorsOf(err, FIELDS);
      if (byField.customer) {
        byField.phone = byField.customer;
        delete byField.customer;
      }
      if (byField.referrerCustomerId) {
        byField.referrer = byField.referrerCustomerId;
        delete byField.referrerCustomerId;
      }
      setFieldErrors(byField);
      setOtherErrors(rest);
      setError(err);
    }
  };

  const ownerChoices: OwnerChoice[] = isManager ? ['auto', 'me', 'pick'] : ['me', 'auto'];

  return (
    <div className="page">
      <Card title={t('newLead.title')} className="case-form-card">
        <p className="card-intro muted">{t('newLead.intro')}</p>
        <form className="form case-form" onSubmit={submit} noValidate data-testid="lead-form">
          <ProblemAlert error={error} extraErrors={otherErrors} withCode />

          <div className="form-grid">
            <Field label={t('newCase.project')} htmlFor={ids.project} error={fieldErrors.projectId} required>
              <select
                id={ids.project}
                name="projectId"
                value={projectId}
                onChange={(e) => {
                  edit(setProjectId)(e.target.value);
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
            <CustomerFields
              ids={ids}
              phone={phone}
              name={name}
              customer={customer}
              errors={{ phone: fieldErrors.phone ?? fieldErrors.customerId, name: fieldErrors.name }}
              onPhone={(v: string) => {
                clearError('phone');
                edit(setPhone)(v);
              }}
              onName={(v: string) => {
                clearError('name');
                edit(setName)(v);
              }}
            />
          </div>

          <CustomerMatches phone={phone} customer={customer} matches={matches} onCustomer={edit(setCustomer)} newCustomerText={t('newLead.newCustomer')} />

          <div className="form-row">
            <div className="field channel-field">
              <label htmlFor={ids.source}>{t('newLead.source')}</label>
              <select id={ids.source} name="source" value={source} onChange={(e) => edit(setSource)(e.target.value as LeadSource)}>
                {LEAD_SOURCES.map((s) => (
                  <option key={s} value={s}>
                    {t(`source.${s}` as const)}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="segmented" data-testid="lead-grade-choice">
              <legend>
                {t('newLead.grade')}
                <span className="required" aria-hidden="true">
                  {' '}
                  *
                </span>
              </legend>
              {GRADES.map((g) => (
                <label key={g} className={`segment${grade === g ? ' active' : ''}`} title={t(`grade.${g}.desc` as const)}>
                  <input type="radio" name="grade" value={g} checked={grade === g} onChange={() => edit(setGrade)(g)} />
                  {t(`grade.${g}` as const)}
                </label>
              ))}
            </fieldset>
          </div>
          <p className="field-hint grade-hint" data-testid="grade-hint">
            {t(`grade.${grade}.desc` as const)}
            {policy ? ` · ${cadenceText(policy, t, lang, true)}` : ''}
          </p>
          {fieldErrors.grade || fieldErrors.source ? (
            <div className="field-error" role="alert">
              {fieldErrors.grade ?? fieldErrors.source}
            </div>
          ) : null}

          {source === 'referral' ? (
            <>
              <div className="form-grid">
                <Field label={t('newLead.referrer')} htmlFor={ids.referrer} error={fieldErrors.referrer} hint={t('newLead.referrerHint')}>
                  <input
                    id={ids.referrer}
                    name="referrerPhone"
                    type="tel"
                    inputMode="tel"
                    autoComplete="off"
                    value={referrer ? referrer.phone : referrerPhone}
                    readOnly={Boolean(referrer)}
                    maxLength={32}
                    onChange={(e) => edit(setReferrerPhone)(e.target.value)}
                  />
                </Field>
              </div>
              {referrer ? (
                <div className="customer-link" data-testid="linked-referrer">
                  <Icon name="customers" size={16} />
                  <span>{t('newLead.referrerLinked', { name: referrer.name })}</span>
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => edit(setReferrer)(null)}>
                    {t('action.clear')}
                  </button>
                </div>
              ) : referrerMatches.length > 0 ? (
                <div className="customer-matches" data-testid="referrer-matches">
                  {referrerMatches.map((m) => (
                    <button key={m.id} type="button" className="btn btn-small" data-testid="referrer-match" onClick={() => edit(setReferrer)(m)}>
                      {m.name} · <span className="mono">{m.phone}</span>
                    </button>
                  ))}
                </div>
              ) : referrerPhone.replace(/\D/g, '').length >= 4 ? (
                <div className="customer-link muted">{t('newLead.referrerNone')}</div>
              ) : null}
            </>
          ) : null}

          <div className="form-row">
            <fieldset className="segmented" data-testid="owner-choice">
              <legend>{t('newLead.owner')}</legend>
              {ownerChoices.map((c) => (
                <label key={c} className={`segment${ownerChoice === c ? ' active' : ''}`}>
                  <input type="radio" name="ownerChoice" value={c} checked={ownerChoice === c} onChange={() => edit(setOwnerChoice)(c)} />
                  {t(c === 'me' ? 'newLead.ownerMe' : c === 'auto' ? 'newLead.ownerAuto' : 'newLead.ownerPick')}
                </label>
              ))}
            </fieldset>
            {ownerChoice === 'pick' ? (
              <div className={`field channel-field${fieldErrors.ownerId ? ' has-error' : ''}`}>
                <label htmlFor={ids.owner}>{t('leads.owner')}</label>
                <StaffSelect id={ids.owner} staff={staff.staff} project={project} value={ownerId} onChange={edit(setOwnerId)} loading={staff.loading} />
              </div>
            ) : null}
          </div>
          {fieldErrors.ownerId ? (
            <div className="field-error" role="alert" data-field-error="ownerId">
              {fieldErrors.ownerId}
            </div>
          ) : null}

          <Field label={t('newLead.note')} htmlFor={ids.note} error={fieldErrors.note} hint={t('newLead.noteHint')}>
            <textarea id={ids.note} name="note" rows={3} maxLength={2000} value={note} onChange={(e) => edit(setNote)(e.target.value)} />
          </Field>

          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="submit-lead">
              {busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
              {busy ? t('newLead.submitting') : t('newLead.submit')}
            </button>
          </div>
        </form>
      </Card>
    </div>
  );
}
