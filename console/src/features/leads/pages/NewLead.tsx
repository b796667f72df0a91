/**
 * 新建线索: project, the prospect's phone (finding a registered customer) and name, source, grade
 * (with its cadence), owner (myself, round robin by grade, or — for sales managers — a named
 * colleague), a referrer for 老带新, and a note. On antd and react-hook-form, checked in the browser
 * with the server's CreateLeadBody (the same rules and codes: a landline in any format is a phone),
 * errors per field in the user's language; a refusal the server still sends lands on its field. The
 * Idempotency-Key is kept across retries of the same form and renewed when anything changes; a
 * failed submit keeps everything typed.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useWatch } from 'react-hook-form';
import { Button, Card, Col, Form, Input, Radio, Row, Segmented, Select, Space, Typography } from 'antd';
import { hasPermission } from '../../../../../domain/access.js';
import { GRADES, LEAD_SOURCES, type Grade } from '../../../../../domain/leads/types.js';
import { CreateLeadBody } from '../../../../../api/leads/schemas.js';
import { uuid, type Customer, type User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { navigate } from '../../../router.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { CustomerMatches, usePhoneMatches } from '../../customers/components/CustomerPicker.js';
import { StaffSelect, cadenceText, useCadences, useSalesStaff } from '../components/lead-ui.js';
import { useCreateLead, useLeadProjects, type CreateLeadRequest } from '../api.js';

const FIELDS = ['projectId', 'customer', 'customer.phone', 'customer.name', 'customerId', 'source', 'grade', 'ownerId', 'referrerCustomerId', 'note'] as const;

type OwnerChoice = 'me' | 'auto' | 'pick';

export function NewLeadPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const { projects } = useLeadProjects();
  const cadences = useCadences();
  const isManager = hasPermission(user.role, 'leads:manage');
  const staff = useSalesStaff(user);
  const create = useCreateLead();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [ownerChoice, setOwnerChoice] = useState<OwnerChoice>(isManager ? 'auto' : 'me');
  const [referrerPhone, setReferrerPhone] = useState('');
  const [referrer, setReferrer] = useState<Customer | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);
  const keyRef = useRef(uuid());

  const form = useSchemaForm(CreateLeadBody, {
    defaultValues: { projectId: user.scope.projectId ?? '', customer: { name: '', phone: '' }, source: 'walk_in', grade: 'B', note: '' } as never,
  });
  const { control, setValue, getValues, handleSubmit } = form;
  const projectId = useWatch({ control, name: 'projectId' }) as string;
  const phone = (useWatch({ control, name: 'customer.phone' }) as string | undefined) ?? '';
  const source = useWatch({ control, name: 'source' }) as string;
  const grade = useWatch({ control, name: 'grade' }) as Grade;
  const ownerId = useWatch({ control, name: 'ownerId' }) as string | undefined;

  // Any edit makes a new request; an unchanged retry reuses the key (the API answers the same lead).
  useEffect(() => {
    const sub = form.watch(() => {
      keyRef.current = uuid();
    });
    return () => sub.unsubscribe();
  }, [form]);

  // The only project in scope is preselected.
  useEffect(() => {
    if (!getValues('projectId') && projects.length === 1) setValue('projectId', projects[0]!.id);
  }, [projects, getValues, setValue]);

  // The owner the body names follows the choice: myself, nobody (round robin), or the colleague picked.
  const chooseOwner = (c: OwnerChoice) => {
    setOwnerChoice(c);
    form.clearErrors('ownerId');
    setValue('ownerId', c === 'me' ? user.id : undefined);
  };
  useEffect(() => {
    if (ownerChoice === 'me') setValue('ownerId', user.id);
    // Only on the first render: the choice changes through chooseOwner.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const matches = usePhoneMatches(phone, Boolean(customer));
  const referrerMatches = usePhoneMatches(referrerPhone, Boolean(referrer) || source !== 'referral');

  const link = (c: Customer | null) => {
    const phoneWas = customer?.phone ?? '';
    setCustomer(c);
    if (c) {
      setValue('customerId', c.id);
      setValue('customer', undefined);
      form.clearErrors(['customer', 'customerId'] as never);
    } else {
      setValue('customerId', undefined);
      setValue('customer', { name: '', phone: phoneWas });
    }
  };
  const linkReferrer = (c: Customer | null) => {
    setReferrer(c);
    setValue('referrerCustomerId', c?.id);
    form.clearErrors('referrerCustomerId');
  };

  const project = projects.find((p) => p.id === projectId) ?? null;
  const policy = cadences?.find((p) => p.grade === grade);
  const projectOptions = useMemo(() => projects.map((p) => ({ value: p.id, label: p.city ? `${p.name} · ${p.city}` : p.name })), [projects]);

  const submit = handleSubmit(async (values) => {
    setOtherError(null);
    if (ownerChoice === 'pick' && !values.ownerId) {
      form.setError('ownerId', { type: 'REQUIRED', message: t('validation.required') }, { shouldFocus: true });
      return;
    }
    const body: CreateLeadRequest = {
      ...values,
      ...(values.note?.trim() ? { note: values.note.trim() } : { note: undefined }),
      ...(source === 'referral' ? {} : { referrerCustomerId: undefined }),
    };
    try {
      const created = await create.mutateAsync({ body, key: keyRef.current });
      keyRef.current = uuid();
      navigate(`/leads/${encodeURIComponent(created.id)}`);
    } catch (err) {
      const rest = applyProblem(form as never, lang, err, FIELDS);
      const placed = (err as { problem?: { errors?: unknown[] } }).problem?.errors?.length ?? 0;
      if (rest.length > 0 || placed === 0) setOtherError(err);
    }
  });

  const ownerChoices: OwnerChoice[] = isManager ? ['auto', 'me', 'pick'] : ['me', 'auto'];

  return (
    <div className="page">
      <Card title={<h2 className="card-title-h">{t('newLead.title')}</h2>} className="case-form-card">
        <Typography.Paragraph type="secondary">{t('newLead.intro')}</Typography.Paragraph>
        <Form layout="vertical" component="form" onFinish={() => void submit()} data-testid="lead-form" noValidate requiredMark>
          <ProblemAlert error={otherError} withCode />
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <FieldRow form={form} name="projectId" label={t('newCase.project')} required>
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
                          // Another project has other staff: a named owner is chosen again.
                          if (ownerChoice === 'pick') setValue('ownerId', undefined);
                        }}
                        onBlur={field.onBlur}
                        options={projectOptions}
                        showSearch={{ optionFilterProp: 'label' }}
                        placeholder={t('common.choose')}
                        style={{ width: '100%' }}
                        aria-label={t('newCase.project')}
                        status={form.formState.errors.projectId ? 'error' : undefined}
                      />
                    </div>
                  )}
                />
              </FieldRow>
            </Col>
            <Col xs={24} md={8}>
              {customer ? (
                <Form.Item label={t('customerPicker.phone')} htmlFor="lead-phone" required>
                  <Input id="lead-phone" name="phone" value={customer.phone} readOnly />
                </Form.Item>
              ) : (
                <FieldRow form={form} name="customer.phone" label={t('customerPicker.phone')} hint={t('customerPicker.phoneHint')} required>
                  <Controller
                    control={control}
                    name="customer.phone"
                    render={({ field }) => (
                      <Input
                        {...field}
                        value={field.value ?? ''}
                        id="customer.phone"
                        name="phone"
                        type="tel"
                        inputMode="tel"
                        autoComplete="off"
                        maxLength={40}
                        autoFocus
                        status={form.formState.errors.customer ? 'error' : undefined}
                      />
                    )}
                  />
                </FieldRow>
              )}
            </Col>
            <Col xs={24} md={8}>
              {customer ? (
                <Form.Item label={t('customerPicker.name')} htmlFor="lead-name" required>
                  <Input id="lead-name" name="customerName" value={customer.name} readOnly />
                </Form.Item>
              ) : (
                <FieldRow form={form} name="customer.name" label={t('customerPicker.name')} required>
                  <Controller
                    control={control}
                    name="customer.name"
                    render={({ field }) => <Input {...field} value={field.value ?? ''} id="customer.name" name="customerName" autoComplete="off" maxLength={60} />}
                  />
                </FieldRow>
              )}
            </Col>
          </Row>

          <div style={{ marginBottom: 16 }}>
            <CustomerMatches phone={phone} customer={customer} matches={matches} onCustomer={link} newCustomerText={t('newLead.newCustomer')} />
          </div>

          <Row gutter={16}>
            <Col xs={24} md={8}>
              <FieldRow form={form} name="source" label={t('newLead.source')} required>
                <Controller
                  control={control}
                  name="source"
                  render={({ field }) => (
                    <div data-testid="lead-source" data-value={field.value}>
                      <Select
                        id="source"
                        value={field.value}
                        onChange={(v: string) => {
                          field.onChange(v);
                          if (v !== 'referral') linkReferrer(null);
                        }}
                        onBlur={field.onBlur}
                        options={LEAD_SOURCES.map((s) => ({ value: s, label: t(`source.${s}` as const) }))}
                        showSearch={{ optionFilterProp: 'label' }}
                        style={{ width: '100%' }}
                        aria-label={t('newLead.source')}
                      />
                    </div>
                  )}
                />
              </FieldRow>
            </Col>
            <Col xs={24} md={16}>
              <FieldRow
                form={form}
                name="grade"
                label={t('newLead.grade')}
                required
                hint={
                  <span data-testid="grade-hint">
                    {t(`grade.${grade}.desc` as const)}
                    {policy ? ` · ${cadenceText(policy, t, lang, true)}` : ''}
                  </span>
                }
              >
                <Controller
                  control={control}
                  name="grade"
                  render={({ field }) => (
                    <Segmented<Grade>
                      id="grade"
                      name="grade"
                      data-testid="lead-grade-choice"
                      aria-label={t('newLead.grade')}
                      value={field.value}
                      onChange={(v) => field.onChange(v)}
                      options={GRADES.map((g) => ({ value: g, label: t(`grade.${g}` as const), title: t(`grade.${g}.desc` as const) }))}
                    />
                  )}
                />
              </FieldRow>
            </Col>
          </Row>

          {source === 'referral' ? (
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <FieldRow form={form} name="referrerCustomerId" label={t('newLead.referrer')} hint={t('newLead.referrerHint')}>
                  <Input
                    id="referrerCustomerId"
                    name="referrerPhone"
                    type="tel"
                    inputMode="tel"
                    autoComplete="off"
                    value={referrer ? referrer.phone : referrerPhone}
                    readOnly={Boolean(referrer)}
                    maxLength={32}
                    onChange={(e) => {
                      keyRef.current = uuid();
                      setReferrerPhone(e.target.value);
                    }}
                  />
                </FieldRow>
              </Col>
              <Col xs={24} md={12} style={{ paddingTop: 30 }}>
                {referrer ? (
                  <Space data-testid="linked-referrer">
                    <span>{t('newLead.referrerLinked', { name: referrer.name })}</span>
                    <Button size="small" onClick={() => linkReferrer(null)}>
                      {t('action.clear')}
                    </Button>
                  </Space>
                ) : referrerMatches.length > 0 ? (
                  <Space wrap data-testid="referrer-matches">
                    {referrerMatches.map((m) => (
                      <Button key={m.id} size="small" data-testid="referrer-match" onClick={() => linkReferrer(m)}>
                        {m.name} · <span className="mono">{m.phone}</span>
                      </Button>
                    ))}
                  </Space>
                ) : referrerPhone.replace(/\D/g, '').length >= 4 ? (
                  <Typography.Text type="secondary">{t('newLead.referrerNone')}</Typography.Text>
                ) : null}
              </Col>
            </Row>
          ) : null}

          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item label={t('newLead.owner')} htmlFor="ownerChoice">
                <Radio.Group
                  id="ownerChoice"
                  name="ownerChoice"
                  data-testid="owner-choice"
                  aria-label={t('newLead.owner')}
                  optionType="button"
                  value={ownerChoice}
                  onChange={(e) => chooseOwner(e.target.value as OwnerChoice)}
                  options={ownerChoices.map((c) => ({ value: c, label: t(c === 'me' ? 'newLead.ownerMe' : c === 'auto' ? 'newLead.ownerAuto' : 'newLead.ownerPick') }))}
                />
              </Form.Item>
            </Col>
            {ownerChoice === 'pick' ? (
              <Col xs={24} md={12}>
                <FieldRow form={form} name="ownerId" label={t('leads.owner')} required>
                  <StaffSelect
                    id="ownerId"
                    staff={staff.staff}
                    project={project}
                    value={ownerId ?? ''}
                    onChange={(v) => {
                      setValue('ownerId', v || undefined, { shouldValidate: Boolean(v) });
                      if (v) form.clearErrors('ownerId');
                    }}
                    loading={staff.loading}
                    label={t('leads.owner')}
                    invalid={Boolean(form.formState.errors.ownerId)}
                    style={{ width: '100%' }}
                  />
                </FieldRow>
              </Col>
            ) : null}
          </Row>
          {staff.error && ownerChoice === 'pick' ? <ProblemAlert error={staff.error} /> : null}

          <FieldRow form={form} name="note" label={t('newLead.note')} hint={t('newLead.noteHint')}>
            <Controller
              control={control}
              name="note"
              render={({ field }) => <Input.TextArea {...field} value={field.value ?? ''} id="note" name="note" rows={3} maxLength={2000} showCount />}
            />
          </FieldRow>

          <Button type="primary" htmlType="submit" size="large" loading={create.isPending} data-testid="submit-lead">
            {create.isPending ? t('newLead.submitting') : t('newLead.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
