/**
 * 新建工单: one screen for a phone call — project (and unit), the caller's phone (finding a
 * registered customer) and name, type, category, severity, channel, description, repair cost.
 * The Idempotency-Key is kept across retries of the same form and renewed when anything changes.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { CASE_TYPES, CHANNELS, SEVERITIES, type CaseType, type Channel, type Severity } from '../../../domain/cases/types.js';
import { api, fieldErrorsOf, uuid, type Customer, type FieldError, type Unit, type User } from '../api.js';
import { CategoryPicker, useCategories } from '../case-ui.js';
import { casesApi, type OpenCaseRequest } from '../cases-api.js';
import { formatMoney } from '../format.js';
import { useI18n } from '../i18n.js';
import { useOrgLookups } from '../lookups.js';
import { navigate } from '../router.js';
import { Card, Field, ProblemAlert } from '../ui.js';
import { CustomerFields, CustomerMatches, usePhoneMatches } from '../customer-picker.js';

const FIELDS = ['type', 'projectId', 'unitId', 'customer', 'customerId', 'category', 'severity', 'channel', 'description', 'estimatedCost'] as const;

export function NewCasePage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const categories = useCategories();
  const [projectId, setProjectId] = useState(user.scope.projectId ?? '');
  const [unitId, setUnitId] = useState('');
  const [units, setUnits] = useState<Unit[]>([]);
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [type, setType] = useState<CaseType>('complaint');
  const [category, setCategory] = useState('');
  const [severity, setSeverity] = useState<Severity>('minor');
  const [channel, setChannel] = useState<Channel>('phone');
  const [description, setDescription] = useState('');
  const [estimatedCost, setEstimatedCost] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<FieldError[]>([]);
  const keyRef = useRef(uuid());
  const ids = { project: useId(), unit: useId(), phone: useId(), name: useId(), severity: useId(), channel: useId(), description: useId(), cost: useId() };

  // Any edit makes a new request; an unchanged retry reuses the key (the API returns the same case).
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

  useEffect(() => {
    setUnits([]);
    if (!projectId) return;
    const c = new AbortController();
    api.units(projectId, { page: 1, pageSize: 200 }, c.signal).then(
      (p) => setUnits(p.items),
      () => undefined,
    );
    return () => c.abort();
  }, [projectId]);

  const matches = usePhoneMatches(phone, Boolean(customer));

  const project = lookups.projects.find((p) => p.id === projectId);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Record<string, string> = {};
    if (!projectId) local.projectId = t('validation.required');
    if (!customer && !phone.trim()) local.phone = t('validation.required');
    if (!customer && !name.trim()) local.name = t('validation.required');
    if (!category) local.category = t('validation.required');
    if (!description.trim()) local.description = t('validation.required');
    const cost = estimatedCost.trim() === '' ? undefined : Number(estimatedCost);
    if (type === 'repair' && cost !== undefined && (!Number.isFinite(cost) || cost < 0)) local.estimatedCost = t('newCase.invalidCost');
    setError(null);
    setOtherErrors([]);
    setFieldErrors(local);
    if (Object.keys(local).length > 0) return;

    const body: OpenCaseRequest = {
      type,
      projectId,
      ...(unitId ? { unitId } : {}),
      ...(customer ? { customerId: customer.id } : { customer: { name: name.trim(), phone: phone.trim() } }),
      category,
      severity,
      channel,
      description: description.trim(),
      ...(type === 'repair' && cost !== undefined ? { estimatedCost: cost } : {}),
    };
    setBusy(true);
    try {
      const created = await casesApi.create(body, keyRef.current);
      keyRef.current = uuid();
      navigate(`/cases/${encodeURIComponent(created.id)}`);
    } catch (err) {
      const { byField, rest } = fieldErrorsOf(err, FIELDS);
      if (byField.customer) {
        byField.phone = byField.customer;
        delete byField.customer;
      }
      setFieldErrors(byField);
      setOtherErrors(rest);
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <Card title={t('newCase.title')} className="case-form-card">
        <p className="card-intro muted">{t('newCase.intro')}</p>
        <form className="form case-form" onSubmit={submit} noValidate data-testid="case-form">
          <ProblemAlert error={error} extraErrors={otherErrors} />

          <div className="form-grid">
            <Field label={t('newCase.project')} htmlFor={ids.project} error={fieldErrors.projectId} required>
              <select
                id={ids.project}
                name="projectId"
                value={projectId}
                onChange={(e) => {
                  edit(setProjectId)(e.target.value);
                  setUnitId('');
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
            <Field label={t('newCase.unit')} htmlFor={ids.unit} error={fieldErrors.unitId}>
              <select id={ids.unit} name="unitId" value={unitId} onChange={(e) => edit(setUnitId)(e.target.value)} disabled={!projectId}>
                <option value="">{t('newCase.unitNone')}</option>
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.buildingName} {u.number}
                  </option>
                ))}
              </select>
            </Field>
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

          <CustomerMatches phone={phone} customer={customer} matches={matches} onCustomer={edit(setCustomer)} newCustomerText={t('newCase.newCustomer')} />

          <div className="form-row">
            <fieldset className="segmented" data-testid="case-type">
              <legend>{t('newCase.type')}</legend>
              {CASE_TYPES.map((ct) => (
                <label key={ct} className={`segment${type === ct ? ' active' : ''}`}>
                  <input
                    type="radio"
                    name="type"
                    value={ct}
                    checked={type === ct}
                    onChange={() => {
                      edit(setType)(ct);
                      if (!category.startsWith(`${ct}.`) && category !== ct) setCategory('');
                    }}
                  />
                  {t(`caseType.${ct}` as const)}
                </label>
              ))}
            </fieldset>
            <fieldset className="segmented" data-testid="case-severity">
              <legend>{t('newCase.severity')}</legend>
              {SEVERITIES.map((s) => (
                <label key={s} className={`segment${severity === s ? ' active' : ''}${s === 'major' ? ' segment-danger' : ''}`}>
                  <input type="radio" name="severity" value={s} checked={severity === s} onChange={() => edit(setSeverity)(s)} />
                  {t(`severity.${s}` as const)}
                </label>
              ))}
            </fieldset>
            <div className="field channel-field">
              <label htmlFor={ids.channel}>{t('newCase.channel')}</label>
              <select id={ids.channel} name="channel" value={channel} onChange={(e) => edit(setChannel)(e.target.value as Channel)}>
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`channel.${c}` as const)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {severity === 'major' ? <p className="field-hint severity-hint">{t('newCase.severityHint')}</p> : null}

          <CategoryPicker
            label={t('newCase.category')}
            value={category}
            onChange={edit(setCategory)}
            categories={categories}
            root={type}
            error={fieldErrors.category}
          />

          <Field label={t('newCase.description')} htmlFor={ids.description} error={fieldErrors.description} hint={t('newCase.descriptionHint')} required>
            <textarea
              id={ids.description}
              name="description"
              rows={4}
              maxLength={4000}
              value={description}
              onChange={(e) => edit(setDescription)(e.target.value)}
            />
          </Field>

          {type === 'repair' ? (
            <div className="form-grid">
              <Field
                label={t('newCase.estimatedCost')}
                htmlFor={ids.cost}
                error={fieldErrors.estimatedCost}
                hint={
                  project
                    ? `${t('newCase.estimatedCostHint')} · ${t('projects.warranty')} ${formatMoney(project.warrantyAuthorisationAmount, lang)}`
                    : t('newCase.estimatedCostHint')
                }
              >
                <input
                  id={ids.cost}
                  name="estimatedCost"
                  type="number"
                  min={0}
                  step="0.01"
                  inputMode="decimal"
                  value={estimatedCost}
                  onChange={(e) => edit(setEstimatedCost)(e.target.value)}
                />
              </Field>
            </div>
          ) : null}

          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="submit-case">
              {busy ? t('newCase.submitting') : t('newCase.submit')}
            </button>
          </div>
        </form>
      </Card>
    </div>
  );
}
