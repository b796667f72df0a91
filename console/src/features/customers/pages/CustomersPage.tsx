/**
 * 客户列表: customers of the group on antd's Table — searched by name or by phone typed any way,
 * paged by the server; a row opens the customer page (their cases, leads, sales and units).
 * Managers also see "who viewed" per customer. Registering a customer stays a form above the list.
 */
import { useId, useState, type FormEvent } from 'react';
import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Space, Table, Tag, type TableColumnsType } from 'antd';
import { hasPermission } from '../../../../../domain/access.js';
import { fieldErrorsOf, type FieldError, type User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { mayReadRecordViews } from '../../../record-views-api.js';
import { useI18n } from '../../../i18n.js';
import { Link, navigate } from '../../../router.js';
import { WhoViewedLink } from '../../../pages/RecordViews.js';
import { Card as FormCard, Field, ProblemAlert } from '../../../ui.js';
import { useCreateCustomer, useCustomers, type Customer } from '../api.js';
import '../i18n.js';

const FIELDS = ['name', 'phone', 'email', 'consentToContact'] as const;

export const customerPath = (id: string) => `/customers/${encodeURIComponent(id)}`;

export function CustomersPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const canWrite = hasPermission(user.role, 'customers:write');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [query, setQuery] = useState('');
  const [q, setQ] = useState('');
  const [showForm, setShowForm] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const searchId = useId();
  const list = useCustomers({ q: q || undefined, page, pageSize });

  const columns: TableColumnsType<Customer> = [
    {
      key: 'name',
      title: t('customers.name'),
      render: (_, c) => (
        <Link to={customerPath(c.id)} className="strong-link" data-testid="customer-name" data-customer-id={c.id}>
          {c.name}
        </Link>
      ),
    },
    { key: 'phone', title: t('customers.phone'), className: 'nowrap', render: (_, c) => <span className="mono">{c.phone}</span> },
    { key: 'email', title: t('customers.email'), responsive: ['md'], render: (_, c) => c.email ?? '—' },
    {
      key: 'consent',
      title: t('customers.consent'),
      render: (_, c) => (c.consentToContact ? <Tag color="#237804">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
    },
    { key: 'createdAt', title: t('customers.createdAt'), className: 'nowrap', responsive: ['md'], render: (_, c) => formatDateTime(c.createdAt, lang) },
    ...(mayReadRecordViews(user)
      ? [{ key: 'views', title: t('recordViews.whoViewed'), render: (_: unknown, c: Customer) => <WhoViewedLink customerId={c.id} testId={`who-viewed-${c.id}`} /> }]
      : []),
  ];

  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setQ(query.trim());
    setPage(1);
  };

  return (
    <div className="page">
      {notice ? (
        <div role="status" className="visually-hidden">
          {notice}
        </div>
      ) : null}
      {showForm && canWrite ? (
        <NewCustomerForm
          onCancel={() => setShowForm(false)}
          onCreated={(c) => {
            setShowForm(false);
            const text = t('customers.created', { name: c.name });
            setNotice(text);
            void message.success(text);
            setQ('');
            setQuery('');
            setPage(1);
          }}
        />
      ) : null}
      <Card
        title={<h2 className="card-title">{t('customers.title')}</h2>}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} aria-label={t('action.refresh')} title={t('action.refresh')} onClick={() => void list.refetch()} />
            {canWrite && !showForm ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setShowForm(true)} data-testid="new-customer">
                {t('customers.new')}
              </Button>
            ) : null}
          </Space>
        }
      >
        <form className="toolbar" role="search" onSubmit={search}>
          <label htmlFor={searchId} className="visually-hidden">
            {t('customers.search')}
          </label>
          <Input
            id={searchId}
            name="q"
            type="search"
            prefix={<SearchOutlined aria-hidden="true" />}
            placeholder={t('customers.searchPlaceholder')}
            value={query}
            maxLength={50}
            onChange={(e) => setQuery(e.target.value)}
            style={{ maxWidth: 360 }}
          />
          <Button type="primary" htmlType="submit">
            {t('action.search')}
          </Button>
          {q ? (
            <Button
              type="text"
              onClick={() => {
                setQuery('');
                setQ('');
                setPage(1);
              }}
            >
              {t('action.clear')}
            </Button>
          ) : null}
        </form>
        <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
        <Table<Customer>
          data-testid="customers-table"
          className={list.isFetching ? 'is-loading' : undefined}
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isLoading}
          size="middle"
          scroll={{ x: 'max-content' }}
          onRow={(c) => ({ onDoubleClick: () => navigate(customerPath(c.id)) })}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('customers.total', { total }),
            onChange: (p, size) => {
              setPage(size !== pageSize ? 1 : p);
              setPageSize(size);
            },
          }}
        />
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
  const create = useCreateCustomer();
  const busy = create.isPending;
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
    try {
      const created = await create.mutateAsync({
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
    }
  };

  return (
    <FormCard title={t('customers.new')} className="form-card">
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
    </FormCard>
  );
}
