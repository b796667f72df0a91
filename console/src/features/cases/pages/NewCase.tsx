/**
 * 新建工单 (intake), for a phone call: the caller's number first — a known number pops their
 * customer, open cases, units and last contacts beside the form (below it on a phone), so a repeat
 * call is attached to the case already open instead of opening a duplicate — then the type, which
 * drives the category tree, the unit by building and room, severity, channel and description.
 * Checked in the browser with the server's own schema (OpenCaseBody) and codes, per field, in the
 * user's language. After submitting: the new case's number, and "next case" to log the next call.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useWatch } from 'react-hook-form';
import { App, Button, Card, Col, Form, Input, InputNumber, Radio, Result, Row, Select, Typography } from 'antd';
import { CASE_TYPES, CHANNELS, SEVERITIES, type CaseType } from '../../../../../domain/cases/types.js';
import { OpenCaseBody } from '../../../../../api/cases/schemas.js';
import { uuid, type Customer, type User } from '../../../api.js';
import { categoryName } from '../categories.js';
import { formatMoney } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { navigate } from '../../../router.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { UnitPicker } from '../../../shared/UnitPicker.js';
import { canonicalPhone, useCallerLookup, useCategoryTree, useCreateCase, useUnits, type Case } from '../api.js';
import { useAllProjects } from '../../org/api.js';
import { CategoryCascader } from '../components/CategoryCascader.js';
import { ScreenPop } from '../components/ScreenPop.js';
import '../i18n.js';

const FIELDS = ['type', 'projectId', 'unitId', 'customer', 'customer.phone', 'customer.name', 'customerId', 'category', 'severity', 'channel', 'description', 'estimatedCost'] as const;

interface Values {
  type: CaseType;
  projectId: string;
  unitId?: string | undefined;
  customer?: { name: string; phone: string } | undefined;
  customerId?: string | undefined;
  category?: string | undefined;
  severity: (typeof SEVERITIES)[number];
  channel: (typeof CHANNELS)[number];
  description: string;
  estimatedCost?: number | undefined;
}

function emptyValues(projectId: string): Values {
  return { type: 'complaint', projectId, customer: { name: '', phone: '' }, category: undefined, severity: 'minor', channel: 'phone', description: '' };
}

/** How long to wait after the last keystroke before asking who is calling. */
const LOOKUP_DEBOUNCE_MS = 250;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return v;
}

export function NewCasePage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const projects = useAllProjects();
  const categories = useCategoryTree();
  const create = useCreateCase();
  const [linked, setLinked] = useState<Customer | null>(null);
  const [created, setCreated] = useState<Case | null>(null);
  const [otherError, setOtherError] = useState<unknown>(null);
  const keyRef = useRef(uuid());

  const form = useSchemaForm(OpenCaseBody, { defaultValues: emptyValues(user.scope.projectId ?? '') as never });
  const { control, handleSubmit, setValue, reset, getValues } = form;
  const type = useWatch({ control, name: 'type' }) as CaseType;
  const projectId = useWatch({ control, name: 'projectId' }) as string;
  const severity = useWatch({ control, name: 'severity' }) as string;
  const category = useWatch({ control, name: 'category' }) as string;
  const typedPhone = useWatch({ control, name: 'customer.phone' }) as string | undefined;
  const units = useUnits(projectId || undefined);

  // Any edit is a new request; an unchanged retry reuses the key (the API then answers the same case).
  useEffect(() => {
    const sub = form.watch(() => {
      keyRef.current = uuid();
    });
    return () => sub.unsubscribe();
  }, [form]);

  // The only project in scope is preselected.
  const projectList = projects.data ?? [];
  useEffect(() => {
    if (!getValues('projectId') && projectList.length === 1) setValue('projectId', projectList[0]!.id);
  }, [projectList, getValues, setValue]);

  const phone = useDebounced(linked ? linked.phone : canonicalPhone(typedPhone), LOOKUP_DEBOUNCE_MS);
  const lookup = useCallerLookup(phone);

  const link = (c: Customer) => {
    setLinked(c);
    setValue('customerId', c.id);
    setValue('customer', undefined, { shouldValidate: false });
    form.clearErrors(['customer', 'customerId'] as never);
  };
  const unlink = () => {
    const phoneWas = linked?.phone ?? '';
    setLinked(null);
    setValue('customerId', undefined);
    setValue('customer', { name: '', phone: phoneWas });
  };

  const nextCase = () => {
    setCreated(null);
    setLinked(null);
    setOtherError(null);
    create.reset();
    reset(emptyValues(projectList.length === 1 ? projectList[0]!.id : (user.scope.projectId ?? '')));
    keyRef.current = uuid();
    window.setTimeout(() => document.getElementById('customer.phone')?.focus(), 0);
  };

  const submit = handleSubmit(async (body) => {
    setOtherError(null);
    try {
      const answer = await create.mutateAsync({ body: body as never, key: keyRef.current });
      keyRef.current = uuid();
      setCreated(answer);
      void message.success({ content: t('newCase.created', { number: answer.number }), key: 'case-created' });
    } catch (err) {
      const rest = applyProblem(form as never, lang, err, FIELDS);
      setOtherError(rest.length > 0 || !(err instanceof Error && 'problem' in err && (err as { problem: { errors?: unknown[] } }).problem.errors?.length) ? err : null);
    }
  });

  const project = projectList.find((p) => p.id === projectId);
  const projectOptions = useMemo(() => projectList.map((p) => ({ value: p.id, label: p.city ? `${p.name} · ${p.city}` : p.name })), [projectList]);

  if (created) {
    return (
      <div className="page">
        <Card data-testid="case-created" data-case-id={created.id}>
          <Result
            status="success"
            title={t('newCase.created', { number: created.number })}
            subTitle={`${t(`caseType.${created.type}` as const)} · ${categoryName(created.category, lang, categories)}`}
            extra={[
              <Button key="next" type="primary" size="large" data-testid="next-case" onClick={nextCase} autoFocus>
                {t('intake.nextCase')}
              </Button>,
              <Button key="open" size="large" data-testid="open-created-case" onClick={() => navigate(`/cases/${encodeURIComponent(created.id)}`)}>
                {t('intake.openCreated')}
              </Button>,
            ]}
          />
        </Card>
      </div>
    );
  }

  return (
    <div className="page">
      <Row gutter={[16, 16]} align="top">
        <Col xs={24} lg={15}>
          <Card title={<h2 className="card-title-h">{t('newCase.title')}</h2>}>
            <Typography.Paragraph type="secondary">{t('newCase.intro')}</Typography.Paragraph>
            <Form layout="vertical" component="form" onFinish={() => void submit()} data-testid="case-form" noValidate requiredMark>
              <ProblemAlert error={otherError} />
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  {linked ? (
                    <Form.Item label={t('newCase.phone')} htmlFor="case-phone" required>
                      <Input id="case-phone" name="phone" value={linked.phone} readOnly />
                    </Form.Item>
                  ) : (
                    <FieldRow form={form} name="customer.phone" label={t('newCase.phone')} hint={t('intake.phoneHint')} required>
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
                <Col xs={24} md={12}>
                  {linked ? (
                    <Form.Item label={t('newCase.name')} htmlFor="case-name" required extra={<Button type="link" size="small" style={{ padding: 0 }} onClick={unlink} data-testid="unlink-customer">{t('newCase.unlink')}</Button>}>
                      <Input id="case-name" name="customerName" value={linked.name} readOnly />
                    </Form.Item>
                  ) : (
                    <FieldRow form={form} name="customer.name" label={t('newCase.name')} required>
                      <Controller
                        control={control}
                        name="customer.name"
                        render={({ field }) => <Input {...field} value={field.value ?? ''} id="customer.name" name="customerName" autoComplete="off" maxLength={60} />}
                      />
                    </FieldRow>
                  )}
                </Col>
                <Col xs={24} md={12}>
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
                              setValue('unitId', undefined);
                            }}
                            onBlur={field.onBlur}
                            options={projectOptions}
                            showSearch={{ optionFilterProp: 'label' }}
                            loading={projects.isLoading}
                            placeholder={t('common.choose')}
                            style={{ width: '100%' }}
                            aria-label={t('newCase.project')}
                          />
                        </div>
                      )}
                    />
                  </FieldRow>
                </Col>
                <Col xs={24} md={12}>
                  <FieldRow form={form} name="unitId" label={t('newCase.unit')} hint={t('intake.unitHint')}>
                    <Controller
                      control={control}
                      name="unitId"
                      render={({ field }) => (
                        <UnitPicker
                          id="unitId"
                          units={units.data ?? []}
                          loading={units.isLoading}
                          value={field.value}
                          onChange={field.onChange}
                          disabled={!projectId}
                          placeholder={projectId ? t('intake.unitPlaceholder') : t('intake.unitProjectFirst')}
                          label={t('newCase.unit')}
                        />
                      )}
                    />
                  </FieldRow>
                </Col>
              </Row>

              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <FieldRow form={form} name="type" label={t('newCase.type')} required>
                    <Controller
                      control={control}
                      name="type"
                      render={({ field }) => (
                        <Radio.Group
                          id="type"
                          data-testid="case-type"
                          optionType="button"
                          buttonStyle="solid"
                          value={field.value}
                          onChange={(e) => {
                            field.onChange(e.target.value);
                            // The category lives under the type: another type starts the category over.
                            setValue('category', undefined as never);
                          }}
                          options={CASE_TYPES.map((ct) => ({ value: ct, label: t(`caseType.${ct}` as const) }))}
                        />
                      )}
                    />
                  </FieldRow>
                </Col>
                <Col xs={24} md={12}>
                  <FieldRow form={form} name="severity" label={t('newCase.severity')} hint={severity === 'major' ? t('newCase.severityHint') : undefined} required>
                    <Controller
                      control={control}
                      name="severity"
                      render={({ field }) => (
                        <Radio.Group
                          id="severity"
                          data-testid="case-severity"
                          optionType="button"
                          value={field.value}
                          onChange={(e) => field.onChange(e.target.value)}
                          options={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}` as const) }))}
                        />
                      )}
                    />
                  </FieldRow>
                </Col>
                <Col xs={24} md={16}>
                  <FieldRow form={form} name="category" label={t('newCase.category')} hint={
                      category ? (
                        <span data-testid="category-path">{categoryName(category, lang, categories)}</span>
                      ) : (
                        t('intake.categoryHint', { type: t(`caseType.${type}` as const) })
                      )
                    }
                    required
                  >
                    <Controller
                      control={control}
                      name="category"
                      render={({ field }) => (
                        <CategoryCascader
                          id="category"
                          root={type}
                          value={field.value || undefined}
                          onChange={field.onChange}
                          onBlur={field.onBlur}
                          categories={categories}
                          invalid={Boolean(form.formState.errors.category)}
                        />
                      )}
                    />
                  </FieldRow>
                </Col>
                <Col xs={24} md={8}>
                  <FieldRow form={form} name="channel" label={t('newCase.channel')} required>
                    <Controller
                      control={control}
                      name="channel"
                      render={({ field }) => (
                        <div data-testid="channel-select" data-value={field.value}>
                          <Select
                            id="channel"
                            value={field.value}
                            onChange={field.onChange}
                            options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}` as const) }))}
                            style={{ width: '100%' }}
                            aria-label={t('newCase.channel')}
                          />
                        </div>
                      )}
                    />
                  </FieldRow>
                </Col>
              </Row>

              <FieldRow form={form} name="description" label={t('newCase.description')} hint={t('newCase.descriptionHint')} required>
                <Controller
                  control={control}
                  name="description"
                  render={({ field }) => <Input.TextArea {...field} id="description" name="description" rows={4} maxLength={4000} showCount />}
                />
              </FieldRow>

              {type === 'repair' ? (
                <FieldRow
                  form={form}
                  name="estimatedCost"
                  label={t('newCase.estimatedCost')}
                  hint={project ? `${t('newCase.estimatedCostHint')} · ${t('projects.warranty')} ${formatMoney(project.warrantyAuthorisationAmount, lang)}` : t('newCase.estimatedCostHint')}
                >
                  <Controller
                    control={control}
                    name="estimatedCost"
                    render={({ field }) => (
                      <InputNumber
                        id="estimatedCost"
                        name="estimatedCost"
                        min={0}
                        step={100}
                        value={field.value ?? null}
                        onChange={(v) => field.onChange(v === null ? undefined : v)}
                        onBlur={field.onBlur}
                        style={{ width: 220 }}
                      />
                    )}
                  />
                </FieldRow>
              ) : null}

              <Button type="primary" htmlType="submit" size="large" loading={create.isPending} data-testid="submit-case">
                {create.isPending ? t('newCase.submitting') : t('newCase.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <ScreenPop
            phone={phone}
            lookup={lookup.data}
            loading={lookup.isFetching}
            loadedAt={lookup.dataUpdatedAt || Date.now()}
            linked={linked}
            categories={categories}
            onLink={link}
            onAttach={(caseId) => navigate(`/cases/${encodeURIComponent(caseId)}?call=1`)}
            onPickUnit={(pid, unitId) => {
              setValue('projectId', pid);
              setValue('unitId', unitId);
            }}
          />
        </Col>
      </Row>
    </div>
  );
}
