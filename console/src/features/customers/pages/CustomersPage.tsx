/**
 * 客户列表: customers of the group on antd's Table — searched by name or by phone typed any way,
 * paged by the server; a row opens the customer page (their cases, leads, sales and units).
 * Managers also see "who viewed" per customer. Registering a customer is a form above the list.
 */
import { useId, useState, type FormEvent } from 'react';
import { Controller } from 'react-hook-form';
import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Col, Form, Input, Row, Space, Table, Tag, type TableColumnsType } from 'antd';
import { hasPermission } from '../../../../../domain/access.js';
import { ApiError, type CreateCustomerRequest, type User } from '../../../api.js';
import { CreateCustomerBody } from '../../../../../api/customers/schemas.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { formatDateTime } from '../../../format.js';
import { mayReadRecordViews, WhoViewedLink } from '../../../shared/record-views.js';
import { useI18n } from '../../../i18n.js';
import { Link, navigate } from '../../../router.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
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

/**
 * 新建客户: checked in the browser with the server's own schema (CreateCustomerBody: a mobile or a
 * landline with its area code, typed any way), errors under their fields in the user's language;
 * a refusal only the server can make (the number is taken) lands on its field too.
 */
function NewCustomerForm({ onCreated, onCancel }: { onCreated: (c: Customer) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const create = useCreateCustomer();
  const [otherError, setOtherError] = useState<unknown>(null);
  const form = useSchemaForm(CreateCustomerBody, { defaultValues: { name: '', phone: '', consentToContact: false } as never });
  const { control, handleSubmit } = form;

  const submit = handleSubmit(async (body) => {
    setOtherError(null);
    try {
      onCreated(await create.mutateAsync(body as CreateCustomerRequest));
    } catch (err) {
      const rest = applyProblem(form as never, lang, err, FIELDS);
      const placed = err instanceof ApiError && (err.problem.errors?.length ?? 0) > 0 && rest.length === 0;
      if (!placed) setOtherError(err);
    }
  });

  return (
    <Card title={<h2 className="card-title">{t('customers.new')}</h2>} className="form-card">
      <Form layout="vertical" component="div">
        <form onSubmit={(e) => void submit(e)} noValidate data-testid="customer-form">
          <ProblemAlert error={otherError} />
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <FieldRow form={form} name="name" label={t('customers.name')} required>
                <Controller
                  control={control}
                  name="name"
                  render={({ field }) => <Input {...field} value={(field.value as string) ?? ''} id="name" maxLength={60} autoFocus />}
                />
              </FieldRow>
            </Col>
            <Col xs={24} md={12}>
              <FieldRow form={form} name="phone" label={t('customers.phone')} hint={t('customers.phoneHint')} required>
                <Controller
                  control={control}
                  name="phone"
                  render={({ field }) => <Input {...field} value={(field.value as string) ?? ''} id="phone" type="tel" inputMode="tel" maxLength={40} />}
                />
              </FieldRow>
            </Col>
            <Col xs={24} md={12}>
              <FieldRow form={form} name="email" label={t('customers.email')}>
                <Controller
                  control={control}
                  name="email"
                  render={({ field }) => (
                    <Input
                      {...field}
                      value={(field.value as string | undefined) ?? ''}
                      onChange={(e) => field.onChange(e.target.value === '' ? undefined : e.target.value)}
                      id="email"
                      type="email"
                      maxLength={200}
                    />
                  )}
                />
              </FieldRow>
            </Col>
            <Col xs={24} md={12}>
              <FieldRow form={form} name="consentToContact" label={t('customers.consent')}>
                <Controller
                  control={control}
                  name="consentToContact"
                  render={({ field }) => (
                    <Checkbox id="consentToContact" name="consentToContact" checked={!!field.value} onChange={(e) => field.onChange(e.target.checked)}>
                      {t('customers.consentLabel')}
                    </Checkbox>
                  )}
                />
              </FieldRow>
            </Col>
          </Row>
          <Space>
            <Button onClick={onCancel} disabled={create.isPending}>
              {t('action.cancel')}
            </Button>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {create.isPending ? t('action.saving') : t('action.save')}
            </Button>
          </Space>
        </form>
      </Form>
    </Card>
  );
}
