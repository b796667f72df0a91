/**
 * 新建认购: the buyer (a registered customer found by phone, or a new one registered first), the
 * project and one of its available units (by building and room, searchable), price, deposit and
 * payment method; sales managers may name the salesperson responsible. Checked in the browser with
 * the server's own schemas (CreateCustomerBody, CreateSaleBody: forms.ts) and codes, per field, in
 * the user's language, before anything is sent; a refusal the server still sends lands on its field.
 * The Idempotency-Key is kept across retries of the same form and renewed when anything changes; a
 * failed submit keeps everything typed. On 201 the sale's page opens, its contract deadline already
 * counting down.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Controller, useController, useWatch } from 'react-hook-form';
import { App, Button, Card, Checkbox, Col, Form, Input, Radio, Row, Select, Typography } from 'antd';
import { hasPermission } from '../../../../../domain/access.js';
import { PAYMENT_METHODS } from '../../../../../domain/sales/types.js';
import { api, uuid, type Customer, type User } from '../../../api.js';
import { CustomerFields, CustomerMatches, usePhoneMatches } from '../../customers/components/CustomerPicker.js';
import { mayOwn, SALES_ROLES } from '../../leads/components/lead-ui.js';
import { formatArea } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { useOrgLookups } from '../../org/lookups.js';
import { fieldErrorText } from '../../../problems.js';
import { navigate } from '../../../router.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { UnitPicker } from '../../../shared/UnitPicker.js';
import { useAvailableUnits, useCreateSale, useSalesStaffQuery } from '../api.js';
import { NewSaleForm, type NewSaleValues } from '../forms.js';
import '../i18n.js';
import '../sales.css';

/** The fields a refusal of the new buyer may name (POST /api/customers). */
const CUSTOMER_FIELDS = ['name', 'phone', 'email', 'consentToContact'] as const;
/** The fields a refusal of the sale may name (POST /api/sales); the buyer's shows at the phone. */
const SALE_FIELDS = ['unitId', 'price', 'deposit', 'paymentMethod', 'ownerId'] as const;

function emptyValues(projectId: string): NewSaleValues {
  return { projectId, phone: '', name: '', email: '', consentToContact: true, unitId: undefined, price: '', deposit: '', paymentMethod: 'mortgage', ownerId: undefined };
}

export function NewSalePage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const lookups = useOrgLookups();
  const isManager = hasPermission(user.role, 'sales:approve');
  const staff = useSalesStaffQuery(user);
  const create = useCreateSale();
  const [linked, setLinked] = useState<Customer | null>(null);
  const [creatingBuyer, setCreatingBuyer] = useState(false);
  const [problem, setProblem] = useState<{ error: unknown; rest: ReturnType<typeof applyProblem> } | null>(null);
  const keyRef = useRef(uuid());
  const ids = { phone: useId(), name: useId() };

  const form = useSchemaForm(NewSaleForm, { defaultValues: emptyValues(user.scope.projectId ?? '') });
  const { control, setValue, getValues, handleSubmit } = form;
  const projectId = useWatch({ control, name: 'projectId' });
  const typedPhone = useWatch({ control, name: 'phone' }) ?? '';
  const phoneField = useController({ control, name: 'phone' });
  const nameField = useController({ control, name: 'name' });
  const matches = usePhoneMatches(typedPhone, Boolean(linked));
  const units = useAvailableUnits(projectId || undefined);

  // Any edit is a new request; an unchanged retry reuses the key (the API then answers the same sale).
  useEffect(() => {
    const sub = form.watch(() => {
      keyRef.current = uuid();
    });
    return () => sub.unsubscribe();
  }, [form]);

  // The only project in scope is preselected.
  useEffect(() => {
    if (!getValues('projectId') && lookups.projects.length === 1) setValue('projectId', lookups.projects[0]!.id);
  }, [lookups.projects, getValues, setValue]);

  const link = (c: Customer | null) => {
    setLinked(c);
    setValue('customerId', c?.id);
    if (c) form.clearErrors(['phone', 'name', 'email', 'consentToContact']);
    else setValue('phone', linked?.phone ?? '');
  };

  const project = lookups.projects.find((p) => p.id === projectId) ?? null;
  const projectOptions = useMemo(() => lookups.projects.map((p) => ({ value: p.id, label: p.city ? `${p.name} · ${p.city}` : p.name })), [lookups.projects]);
  const ownerOptions = useMemo(() => {
    if (!project) return [];
    const eligible = (staff.data ?? []).filter((u) => mayOwn(u, project));
    return SALES_ROLES.map((role) => ({
      label: t(`role.${role}` as const),
      title: t(`role.${role}` as const),
      options: eligible.filter((u) => u.role === role).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` })),
    })).filter((g) => g.options.length > 0);
  }, [staff.data, project, t]);
  // The API filters by status; the console checks again, so a unit reserved meanwhile is never offered.
  const available = (units.data ?? []).filter((u) => u.status === 'AVAILABLE');

  const submit = handleSubmit(async (v) => {
    setProblem(null);
    let buyer = linked;
    if (!buyer) {
      // A new buyer is registered first and then linked, so a retry does not register them twice.
      setCreatingBuyer(true);
      try {
        buyer = await api.createCustomer(v.customer!);
        link(buyer);
        void message.success({ content: t('newSale.customerCreated', { name: buyer.name }), key: 'buyer-created' });
      } catch (err) {
        setProblem({ error: err, rest: applyProblem(form as never, lang, err, CUSTOMER_FIELDS) });
        return;
      } finally {
        setCreatingBuyer(false);
      }
    }
    try {
      const created = await create.mutateAsync({ body: { ...v.sale, customerId: buyer.id }, key: keyRef.current });
      keyRef.current = uuid();
      navigate(`/sales/${encodeURIComponent(created.id)}`);
    } catch (err) {
      const rest = applyProblem(form as never, lang, err, SALE_FIELDS);
      const buyerError = rest.find((e) => e.path === 'body.customerId');
      if (buyerError) form.setError('phone', { type: buyerError.code ?? 'SERVER', message: fieldErrorText(lang, buyerError) });
      setProblem({ error: err, rest: rest.filter((e) => e !== buyerError) });
    }
  });
  const busy = creatingBuyer || create.isPending;

  return (
    <div className="page">
      <Card title={<h2 className="card-title-h">{t('newSale.title')}</h2>} className="case-form-card">
        <Typography.Paragraph className="muted">{t('newSale.intro')}</Typography.Paragraph>
        <Form layout="vertical" component="form" onFinish={() => void submit()} data-testid="sale-form" noValidate requiredMark>
          {problem ? <ProblemAlert error={problem.error} extraErrors={problem.rest} withCode /> : null}

          <div className="sale-buyer-fields">
            <CustomerFields
              ids={ids}
              phone={phoneField.field.value ?? ''}
              name={nameField.field.value ?? ''}
              customer={linked}
              errors={{ phone: form.formState.errors.phone?.message, name: form.formState.errors.name?.message }}
              onPhone={phoneField.field.onChange}
              onName={nameField.field.onChange}
              onBlur={(f) => (f === 'phone' ? phoneField.field.onBlur() : nameField.field.onBlur())}
            />
          </div>
          <CustomerMatches phone={typedPhone} customer={linked} matches={matches} onCustomer={link} newCustomerText={t('newSale.newCustomer')} />
          {!linked ? (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <FieldRow form={form} name="email" label={t('newSale.email')} hint={t('newSale.emailHint')}>
                  <Controller
                    control={control}
                    name="email"
                    render={({ field }) => <Input {...field} value={field.value ?? ''} id="email" name="email" type="email" autoComplete="off" maxLength={200} />}
                  />
                </FieldRow>
              </Col>
              <Col xs={24} md={12}>
                <FieldRow form={form} name="consentToContact" label={t('newSale.consent')}>
                  <Controller
                    control={control}
                    name="consentToContact"
                    render={({ field }) => (
                      <Checkbox id="consentToContact" name="consentToContact" checked={field.value ?? false} onChange={(e) => field.onChange(e.target.checked)} onBlur={field.onBlur}>
                        {t('newSale.consentLabel')}
                      </Checkbox>
                    )}
                  />
                </FieldRow>
              </Col>
            </Row>
          ) : null}

          <Row gutter={16}>
            <Col xs={24} md={12}>
              <FieldRow form={form} name="projectId" label={t('newSale.project')} required>
                <Controller
                  control={control}
                  name="projectId"
                  render={({ field }) => (
                    <div data-testid="project-select" data-value={field.value ?? ''}>
                      <Select
                        id="projectId"
                        value={field.value || undefined}
                        onChange={(v: string) => {
                          field.onChange(v);
                          // Units and salespeople belong to a project: another project starts them over.
                          setValue('unitId', undefined);
                          setValue('ownerId', undefined);
                        }}
                        onBlur={field.onBlur}
                        options={projectOptions}
                        showSearch={{ optionFilterProp: 'label' }}
                        placeholder={t('common.choose')}
                        style={{ width: '100%' }}
                        aria-label={t('newSale.project')}
                      />
                    </div>
                  )}
                />
              </FieldRow>
            </Col>
            <Col xs={24} md={12}>
              <FieldRow
                form={form}
                name="unitId"
                label={t('newSale.unit')}
                required
                hint={!projectId ? t('newSale.chooseProject') : available.length === 0 && !units.isLoading ? t('newSale.noUnits') : t('newSale.unitHint')}
              >
                <Controller
                  control={control}
                  name="unitId"
                  render={({ field }) => (
                    <UnitPicker
                      id="unitId"
                      testId="sale-unit"
                      units={available}
                      loading={units.isLoading}
                      value={field.value}
                      onChange={field.onChange}
                      onBlur={field.onBlur}
                      disabled={!projectId}
                      invalid={Boolean(form.formState.errors.unitId)}
                      placeholder={projectId ? t('newSale.unitPlaceholder') : t('newSale.chooseProject')}
                      label={t('newSale.unit')}
                      roomLabel={(u) => `${u.number} · ${formatArea(u.area, lang)}`}
                    />
                  )}
                />
              </FieldRow>
            </Col>
          </Row>
          {units.error ? <ProblemAlert error={units.error} onRetry={() => void units.refetch()} withCode /> : null}

          <Row gutter={16}>
            <Col xs={24} md={12}>
              <FieldRow form={form} name="price" label={t('newSale.price')} required>
                <Controller
                  control={control}
                  name="price"
                  render={({ field }) => <Input {...field} value={field.value ?? ''} id="price" name="price" inputMode="decimal" autoComplete="off" prefix="¥" maxLength={20} />}
                />
              </FieldRow>
            </Col>
            <Col xs={24} md={12}>
              <FieldRow form={form} name="deposit" label={t('newSale.deposit')} required>
                <Controller
                  control={control}
                  name="deposit"
                  render={({ field }) => <Input {...field} value={field.value ?? ''} id="deposit" name="deposit" inputMode="decimal" autoComplete="off" prefix="¥" maxLength={20} />}
                />
              </FieldRow>
            </Col>
          </Row>

          <Row gutter={16}>
            <Col xs={24} md={12}>
              <FieldRow form={form} name="paymentMethod" label={t('newSale.paymentMethod')} required>
                <Controller
                  control={control}
                  name="paymentMethod"
                  render={({ field }) => (
                    <Radio.Group
                      id="paymentMethod"
                      name="paymentMethod"
                      data-testid="payment-method"
                      optionType="button"
                      buttonStyle="solid"
                      value={field.value}
                      onChange={(e) => field.onChange(e.target.value)}
                      options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payMethod.${m}` as const) }))}
                    />
                  )}
                />
              </FieldRow>
            </Col>
            {isManager ? (
              <Col xs={24} md={12}>
                <FieldRow form={form} name="ownerId" label={t('sales.owner')} hint={t('newSale.ownerHint')}>
                  <Controller
                    control={control}
                    name="ownerId"
                    render={({ field }) => (
                      <div data-testid="sale-owner" data-value={field.value ?? ''}>
                        <Select
                          id="ownerId"
                          value={field.value || undefined}
                          onChange={(v: string | undefined) => field.onChange(v)}
                          onBlur={field.onBlur}
                          options={ownerOptions}
                          showSearch={{ optionFilterProp: 'label' }}
                          allowClear
                          loading={staff.isLoading}
                          disabled={!project}
                          placeholder={t('newSale.ownerPlaceholder')}
                          style={{ width: '100%' }}
                          aria-label={t('sales.owner')}
                        />
                      </div>
                    )}
                  />
                </FieldRow>
              </Col>
            ) : null}
          </Row>

          <Button type="primary" htmlType="submit" size="large" loading={busy} data-testid="submit-sale">
            {busy ? t('newSale.submitting') : t('newSale.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
