import { useCallback, useId, useState, type FormEvent } from 'react';
import { hasPermission } from '../../../domain/access.js';
import { api, fieldErrorsOf, type Customer, type FieldError, type User } from '../api.js';
import { formatDateTime } from '../format.js';
import { mayReadRecordViews } from '../record-views-api.js';
import { useI18n } from '../i18n.js';
import { Icon } from '../icons.js';
import { WhoViewedLink } from './RecordViews.js';
import { Badge, Card, DataTable, Field, IconButton, Pagination, ProblemAlert, SuccessNotice, useAsync, usePaging, type Column } from '../ui.js';

const FIELDS = ['name', 'phone', 'email', 'consentToContact'] as const;

export function CustomersPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const canWrite = hasPermission(user.role, 'customers:write');
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const [query, setQuery] = useState('');
  const [q, setQ] = useState('');
  const [showForm, setShowForm] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const searchId = useId();
  const list = useAsync((signal) => api.customers({ q: q || undefined, page, pageSize }, signal), [q, page, pageSize]);
  const clearNotice = useCallback(() => setNotice(null), []);

  const columns: Column<Customer>[] = [
    { key: 'name', header: t('customers.name'), render: (c) => <strong data-testid="customer-name">{c.name}</strong> },
    { key: 'phone', header: t('customers.phone'), className: 'nowrap', render: (c) => <span className="mono">{c.phone}</span> },
    { key: 'email', header: t('customers.email'), render: (c) => c.email ?? '—' },
    {
      key: 'consent',
      header: t('customers.consent'),
      render: (c) => (c.consentToContact ? <Badge tone="green">{t('common.yes')}</Badge> : <Badge tone="grey">{t('common.no')}</Badge>),
    },
    { key: 'createdAt', header: t('customers.createdAt'), className: 'nowrap', render: (c) => formatDateTime(c.createdAt, lang) },
    ...(mayReadRecordViews(user)
      ? [{ key: 'views', header: t('recordViews.whoViewed'), render: (c: Customer) => <WhoViewedLink customerId={c.id} testId={`who-viewed-${c.id}`} /> }]
      : []),
  ];

  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setQ(query.trim());
    setPage(1);
  };

  return (
    <div className="page">
      <SuccessNotice message={notice} onClose={clearNotice} />
      {showForm && canWrite ? (
        <NewCustomerForm
          onCancel={() => setShowForm(false)}
          onCreated={(c) => {
            setShowForm(false);
            setNotice(t('customers.created', { name: c.name }));
            setQ('');
            setQuery('');
            setPage(1);
            list.reload();
          }}
        />
      ) : null}
      <Card
        title={t('customers.title')}
        actions={
          <>
            <IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} />
            {canWrite && !showForm ? (
              <button type="button" className="btn btn-primary" onClick={() => setShowForm(true)} data-testid="new-customer">
                <Icon name="plus" size={16} /> {t('customers.new')}
              </button>
            ) : null}
          </>
        }
      >
        <form className="toolbar" role="search" onSubmit={search}>
          <label htmlFor={searchId} className="visually-hidden">
            {t('customers.search')}
          </label>
          <div className="search-box">
            <Icon name="search" size={16} />
            <input
              id={searchId}
              name="q"
              type="search"
              placeholder={t('customers.searchPlaceholder')}
              value={query}
              maxLength={50}
              onChange={(e) => setQuery(e.target.value)}
            />
          </div>
          <button type="submit" className="btn">
            {t('action.search')}
          </button>
          {q ? (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                setQuery('');
                setQ('');
                setPage(1);
              }}
            >
              {t('action.clear')}
            </button>
          ) : null}
        </form>
        <ProblemAlert error={list.error} onRetry={list.reload} />
        <DataTable testId="customers-table" columns={columns} rows={list.data?.items} rowKey={(c) => c.id} loading={list.loading} />
        <Pagination page={page} pageSize={pageSize} total={list.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
      </Card>
    </div>
  );
}

function NewCustomerForm({ onCreated, onCancel }: { onCreated: (c: Customer) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<FieldError[]>([]);
  const ids = { name: useId(), phone: useId(), email: useId(), consent: useId() };

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t('validation.required');
    if (!phone.trim()) local.phone = t('validation.required');
    setError(null);
    setOtherErrors([]);
    setFieldErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const created = await api.createCustomer({
        name: name.trim(),
        phone: phone.trim(),
        ...(email.trim() ? { email: email.trim() } : {}),
        consentToContact: consent,
      });
      onCreated(created);
    } catch (err) {
      const { byField, rest } = fieldErrorsOf(err, FIELDS);
      setFieldErrors(byField);
      setOtherErrors(rest);
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Card title={t('customers.new')} className="form-card">
      <form className="form" onSubmit={submit} noValidate data-testid="customer-form">
        <ProblemAlert error={error} extraErrors={otherErrors} />
        <div className="form-grid">
          <Field label={t('customers.name')} htmlFor={ids.name} error={fieldErrors.name} required>
            <input id={ids.name} name="name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} autoFocus />
          </Field>
          <Field label={t('customers.phone')} htmlFor={ids.phone} error={fieldErrors.phone} hint={t('customers.phoneHint')} required>
            <input id={ids.phone} name="phone" type="tel" inputMode="tel" value={phone} maxLength={32} onChange={(e) => setPhone(e.target.value)} />
          </Field>
          <Field label={t('customers.email')} htmlFor={ids.email} error={fieldErrors.email}>
            <input id={ids.email} name="email" type="email" value={email} maxLength={254} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label={t('customers.consent')} htmlFor={ids.consent} error={fieldErrors.consentToContact}>
            <label className="checkbox">
              <input id={ids.consent} name="consentToContact" type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
              <span>{t('customers.consentLabel')}</span>
            </label>
          </Field>
        </div>
        <div className="form-actions">
          <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('action.saving') : t('action.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}
