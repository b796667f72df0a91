/**
 * 销售设置: the follow-up cadence of each grade (ISO 8601 durations, who gets new leads), the
 * loss reasons and the sales lifecycle's deadlines (销售流程时限), each an antd form on
 * react-hook-form. A group administrator saves them; sales managers read them. Each form is checked
 * in the browser with the server's own rules before anything is sent — the request schema of
 * api/settings/schemas.ts, then the domain's parse (the same function the API runs: durations of at
 * most a month, one cadence per grade, codes of lower-case letters …) — so an error shows under its
 * cell, in the user's language, with the server's code (RULE_BROKEN and its rule). A refusal the
 * server still sends (`body.1.interval`, `contractWithin`) lands on its cell too; nothing typed is
 * lost when a save fails.
 */
import { useEffect, useState, type HTMLAttributes, type ReactNode } from 'react';
import { Alert, Button, Card, Checkbox, Flex, Input, Select, Space, Table, Tabs, Typography } from 'antd';
import { Controller, useFieldArray, useWatch, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { z } from 'zod';
import { canWriteSettings } from '../../../../../domain/access.js';
import { parseCadencePolicies } from '../../../../../domain/leads/cadence.js';
import { parseLossReasons } from '../../../../../domain/leads/loss-reasons.js';
import { parseSalesPolicy } from '../../../../../domain/sales/policy.js';
import { GRADES, OWNER_ROLES, type Grade, type LeadOwnerRole } from '../../../../../domain/leads/types.js';
import { CadencePolicyDoc, LossReasonDoc, SalesPolicyDoc } from '../../../../../api/settings/schemas.js';
import { ApiError, type FieldError, type User } from '../../../api.js';
import { fieldErrorText } from '../../../problems.js';
import { useI18n, type Lang } from '../../../i18n.js';
import { useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { cadenceText, formatIsoDuration } from '../../leads/components/lead-ui.js';
import {
  SALES_POLICY_FIELDS,
  useCadencePolicies,
  useLossReasons,
  useSalesPolicy,
  useSaveCadencePolicies,
  useSaveLossReasons,
  useSaveSalesPolicy,
  type CadencePolicy,
  type LossReason,
  type SalesPolicy,
} from '../api.js';
import { principalOf } from '../../../principal.js';

// ---------------------------------------------------------------------------------------------
// The server's rules as form schemas

type Parsed = { ok: true } | { ok: false; errors: readonly { path: string; message: string }[] };

/** The domain's issues (`1.interval`) as zod issues under `prefix`: the resolver codes them RULE_BROKEN, as the API does. */
function addRuleIssues(parsed: Parsed, prefix: readonly string[], ctx: z.RefinementCtx): void {
  if (parsed.ok) return;
  for (const e of parsed.errors) ctx.addIssue({ code: 'custom', path: [...prefix, ...e.path.split('.').filter(Boolean)], message: e.message });
}

const CadenceForm = z.object({ items: z.array(CadencePolicyDoc) }).superRefine((v, ctx) => addRuleIssues(parseCadencePolicies(v.items), ['items'], ctx));
const ReasonForm = z.object({ items: z.array(LossReasonDoc) }).superRefine((v, ctx) => addRuleIssues(parseLossReasons(v.items), ['items'], ctx));
const PolicyForm = SalesPolicyDoc.superRefine((v, ctx) => addRuleIssues(parseSalesPolicy(v), [], ctx));

/** A form-level error (a rule about the whole document, e.g. "grade B has no cadence"). */
function rootErrorOf(form: UseFormReturn<FieldValues, unknown, FieldValues>): string | undefined {
  const items = form.formState.errors.items as { message?: string; root?: { message?: string } } | undefined;
  return items?.message ?? items?.root?.message;
}

/** Reads a nested error (`items.1.interval`). */
function errorAt(form: UseFormReturn<FieldValues, unknown, FieldValues>, name: string): { message?: string; type?: string } | undefined {
  let node: unknown = form.formState.errors;
  for (const part of name.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node as { message?: string; type?: string } | undefined;
}

/** A refusal's field errors (`body.1.interval` → `items.1.interval`) on the form; the rest for the alert. */
function placeProblem(form: UseFormReturn<FieldValues, unknown, FieldValues>, lang: Lang, err: unknown, toField: (path: string) => string | null): FieldError[] {
  if (!(err instanceof ApiError)) return [];
  const rest: FieldError[] = [];
  for (const e of err.problem.errors ?? []) {
    const field = toField(e.path.replace(/^body\.?/, ''));
    if (field) form.setError(field as Path<FieldValues>, { type: e.code ?? 'SERVER', message: fieldErrorText(lang, e) }, { shouldFocus: rest.length === 0 });
    else rest.push(e);
  }
  return rest;
}

/** An input cell's error, under it (`data-testid` for tests; role=alert so it is read out). */
function CellError({ error, testId }: { error: { message?: string; type?: string } | undefined; testId?: string }) {
  if (!error?.message) return null;
  return (
    <Typography.Text type="danger" className="cell-error" role="alert" data-testid={testId} data-error={error.type} style={{ display: 'block', fontSize: 12 }}>
      {error.message}
    </Typography.Text>
  );
}

/** A save as a TanStack mutation (which refreshes the setting), with the form's notice and refusal. */
function useSaver<T>(mutation: { mutateAsync: (value: T) => Promise<unknown>; isPending: boolean }) {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [rest, setRest] = useState<FieldError[]>([]);
  useEffect(() => {
    if (!saved) return;
    const timer = window.setTimeout(() => setSaved(false), 5000);
    return () => window.clearTimeout(timer);
  }, [saved]);
  const run = async (value: T, place: (err: unknown) => FieldError[]) => {
    if (mutation.isPending) return;
    setSaved(false);
    setError(null);
    setRest([]);
    try {
      await mutation.mutateAsync(value);
      setSaved(true);
    } catch (err) {
      const unplaced = place(err);
      setRest(unplaced);
      setError(err);
    }
  };
  return { busy: mutation.isPending, saved, closeSaved: () => setSaved(false), error, rest, run };
}

function SavedNotice({ shown, onClose }: { shown: boolean; onClose: () => void }) {
  const { t } = useI18n();
  if (!shown) return null;
  return <Alert type="success" showIcon closable onClose={onClose} role="status" data-testid="settings-saved" message={t('salesSettings.saved')} style={{ marginBottom: 16 }} />;
}

function Actions({ children }: { children: ReactNode }) {
  return (
    <Flex gap={8} wrap justify="flex-end" style={{ marginTop: 16 }}>
      {children}
    </Flex>
  );
}

// ---------------------------------------------------------------------------------------------

const TABS = ['cadences', 'reasons', 'deadlines'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL = { cadences: 'salesSettings.cadences', reasons: 'salesSettings.lossReasons', deadlines: 'salesSettings.deadlines' } as const satisfies Record<Tab, string>;

export function SalesSettingsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('cadences');
  const writable = canWriteSettings(principalOf(user));
  return (
    <div className="page">
      {!writable ? <Alert type="info" showIcon message={t('salesSettings.readOnly')} style={{ marginBottom: 12 }} /> : null}
      <Tabs
        data-testid="sales-settings-tabs"
        activeKey={tab}
        onChange={(k) => setTab(k as Tab)}
        items={TABS.map((k) => ({
          key: k,
          label: <span data-tab={k}>{t(TAB_LABEL[k])}</span>,
          children: k === 'cadences' ? <CadenceEditor writable={writable} /> : k === 'reasons' ? <LossReasonEditor writable={writable} /> : <SalesPolicyEditor writable={writable} />,
        }))}
      />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

type CadenceValues = { items: CadencePolicy[] };

function CadenceEditor({ writable }: { writable: boolean }) {
  const { t, lang } = useI18n();
  const loaded = useCadencePolicies();
  const saver = useSaver(useSaveCadencePolicies());
  const form = useSchemaForm(CadenceForm, { defaultValues: { items: [] } as never });
  const f = form as unknown as UseFormReturn<FieldValues, unknown, FieldValues>;
  const original = JSON.stringify(loaded.data?.items ?? []);
  useEffect(() => form.reset({ items: JSON.parse(original) as CadencePolicy[] } as never), [original, form]);
  const rows = (useWatch({ control: form.control, name: 'items' }) as CadencePolicy[] | undefined) ?? [];
  const dirty = JSON.stringify(rows) !== original;

  const submit = form.handleSubmit((v) => {
    const body = (v as unknown as CadenceValues).items.map((r) => ({ ...r, lastsFor: r.lastsFor?.trim() ? r.lastsFor.trim() : null, dropTo: r.dropTo ?? null }));
    void saver.run(body, (err) => placeProblem(f, lang, err, (p) => (/^\d+\.\w+$/.test(p) ? `items.${p}` : null)));
  });
  const gradeName = (g: Grade) => t(`grade.${g}` as const);
  const durationCell = (field: 'firstContact' | 'interval' | 'lastsFor') => (_: unknown, r: CadencePolicy, i: number) => (
    <>
      <Controller
        control={form.control}
        name={`items.${i}.${field}` as never}
        render={({ field: c }) => (
          <Input
            name={`${r.grade}.${field}`}
            className="mono"
            aria-label={`${gradeName(r.grade)} ${t(`salesSettings.${field}` as const)}`}
            value={(c.value as string | null) ?? ''}
            placeholder={field === 'lastsFor' ? '—' : 'P1D'}
            disabled={!writable}
            maxLength={20}
            status={errorAt(f, `items.${i}.${field}`) ? 'error' : undefined}
            onChange={(e) => c.onChange(field === 'lastsFor' && e.target.value === '' ? null : e.target.value)}
            onBlur={c.onBlur}
            style={{ width: 110 }}
          />
        )}
      />
      <CellError error={errorAt(f, `items.${i}.${field}`)} />
    </>
  );

  return (
    <Card title={<h2 className="card-title-h">{t('salesSettings.cadences')}</h2>}>
      <SavedNotice shown={saver.saved} onClose={saver.closeSaved} />
      <Typography.Paragraph type="secondary">{t('salesSettings.cadencesIntro')}</Typography.Paragraph>
      <ProblemAlert error={loaded.error} onRetry={() => void loaded.refetch()} withCode />
      {saver.error && saver.rest.length > 0 ? <ProblemAlert error={saver.error} extraErrors={saver.rest} withCode /> : null}
      {rootErrorOf(f) ? <Alert type="error" showIcon role="alert" message={rootErrorOf(f)} style={{ marginBottom: 12 }} /> : null}
      <form noValidate data-testid="cadence-form" onSubmit={(e) => {
          // A new attempt: the last save's notice goes (a refusal in the browser must not sit under "已保存").
          saver.closeSaved();
          void submit(e);
        }}>
        <Table<CadencePolicy>
          data-testid="cadence-table"
          rowKey="grade"
          size="middle"
          pagination={false}
          loading={loaded.isLoading}
          dataSource={rows}
          scroll={rows.length > 0 ? { x: 'max-content' } : undefined}
          onRow={(r) => ({ 'data-grade': r.grade }) as HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'grade', title: t('leads.grade'), render: (_, r) => <strong>{gradeName(r.grade)}</strong> },
            { key: 'firstContact', title: t('salesSettings.firstContact'), render: durationCell('firstContact') },
            { key: 'interval', title: t('salesSettings.interval'), render: durationCell('interval') },
            { key: 'lastsFor', title: t('salesSettings.lastsFor'), render: durationCell('lastsFor') },
            {
              key: 'dropTo',
              title: t('salesSettings.dropTo'),
              render: (_, r, i) => (
                <>
                  <Controller
                    control={form.control}
                    name={`items.${i}.dropTo` as never}
                    render={({ field: c }) => (
                      <Select
                        aria-label={`${gradeName(r.grade)} ${t('salesSettings.dropTo')}`}
                        value={(c.value as Grade | null) ?? ''}
                        disabled={!writable}
                        status={errorAt(f, `items.${i}.dropTo`) ? 'error' : undefined}
                        onChange={(v: string) => c.onChange(v || null)}
                        style={{ width: 110 }}
                        options={[{ value: '', label: t('salesSettings.noDrop') }, ...GRADES.filter((g) => g !== r.grade).map((g) => ({ value: g, label: gradeName(g) }))]}
                      />
                    )}
                  />
                  <CellError error={errorAt(f, `items.${i}.dropTo`)} />
                </>
              ),
            },
            {
              key: 'ownerRole',
              title: t('salesSettings.ownerRole'),
              render: (_, r, i) => (
                <Controller
                  control={form.control}
                  name={`items.${i}.ownerRole` as never}
                  render={({ field: c }) => (
                    <Select
                      aria-label={`${gradeName(r.grade)} ${t('salesSettings.ownerRole')}`}
                      value={c.value as LeadOwnerRole}
                      disabled={!writable}
                      onChange={(v: string) => c.onChange(v)}
                      style={{ width: 130 }}
                      options={OWNER_ROLES.map((role) => ({ value: role, label: t(`role.${role}` as const) }))}
                    />
                  )}
                />
              ),
            },
            {
              key: 'preview',
              title: t('salesSettings.preview'),
              render: (_, r) => (
                <Typography.Text type="secondary" className="settings-preview">
                  {cadenceText(r, t, lang)}
                </Typography.Text>
              ),
            },
          ]}
        />
        {writable ? (
          <Actions>
            <Button disabled={saver.busy || !loaded.data?.defaults} onClick={() => form.setValue('items', (loaded.data?.defaults ?? []).map((p) => ({ ...p })) as never, { shouldDirty: true })} data-testid="cadence-defaults">
              {t('salesSettings.defaults')}
            </Button>
            <Button disabled={saver.busy || !dirty} onClick={() => form.reset({ items: JSON.parse(original) as CadencePolicy[] } as never)}>
              {t('settings.reset')}
            </Button>
            <Button type="primary" htmlType="submit" disabled={!dirty} loading={saver.busy} data-testid="cadence-save">
              {saver.busy ? t('action.saving') : t('action.save')}
            </Button>
          </Actions>
        ) : null}
      </form>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------

type ReasonValues = { items: LossReason[] };

function LossReasonEditor({ writable }: { writable: boolean }) {
  const { t, lang } = useI18n();
  const loaded = useLossReasons();
  const saver = useSaver(useSaveLossReasons());
  const form = useSchemaForm(ReasonForm, { defaultValues: { items: [] } as never });
  const f = form as unknown as UseFormReturn<FieldValues, unknown, FieldValues>;
  const list = useFieldArray({ control: f.control, name: 'items' });
  const original = JSON.stringify(loaded.data?.items ?? []);
  useEffect(() => form.reset({ items: JSON.parse(original) as LossReason[] } as never), [original, form]);
  const rows = (useWatch({ control: form.control, name: 'items' }) as LossReason[] | undefined) ?? [];
  const dirty = JSON.stringify(rows) !== original;
  const saved = new Set((loaded.data?.items ?? []).map((r) => r.code));

  const submit = form.handleSubmit((v) => {
    const body = (v as unknown as ReasonValues).items.map((r) => ({ code: r.code.trim(), name: { zh: r.name.zh.trim(), en: r.name.en.trim() }, active: r.active }));
    void saver.run(body, (err) => placeProblem(f, lang, err, (p) => (/^\d+\.(code|name\.zh|name\.en|active)$/.test(p) ? `items.${p}` : null)));
  });

  const textCell = (name: 'code' | 'name.zh' | 'name.en', label: string, i: number, extra: { disabled?: boolean; mono?: boolean; maxLength: number }) => (
    <>
      <Controller
        control={f.control}
        name={`items.${i}.${name}`}
        render={({ field: c }) => (
          <Input
            name={`reason.${i}.${name === 'code' ? 'code' : name.slice(5)}`}
            className={extra.mono ? 'mono' : undefined}
            aria-label={label}
            value={(c.value as string) ?? ''}
            maxLength={extra.maxLength}
            disabled={!writable || extra.disabled}
            status={errorAt(f, `items.${i}.${name}`) ? 'error' : undefined}
            onChange={(e) => c.onChange(e.target.value)}
            onBlur={c.onBlur}
          />
        )}
      />
      <CellError error={errorAt(f, `items.${i}.${name}`)} />
    </>
  );

  return (
    <Card title={<h2 className="card-title-h">{t('salesSettings.lossReasons')}</h2>}>
      <SavedNotice shown={saver.saved} onClose={saver.closeSaved} />
      <Typography.Paragraph type="secondary">{t('salesSettings.lossReasonsIntro')}</Typography.Paragraph>
      <ProblemAlert error={loaded.error} onRetry={() => void loaded.refetch()} withCode />
      {saver.error && saver.rest.length > 0 ? <ProblemAlert error={saver.error} extraErrors={saver.rest} withCode /> : null}
      {rootErrorOf(f) ? <Alert type="error" showIcon role="alert" message={rootErrorOf(f)} style={{ marginBottom: 12 }} /> : null}
      <form noValidate data-testid="reasons-form" onSubmit={(e) => {
          // A new attempt: the last save's notice goes (a refusal in the browser must not sit under "已保存").
          saver.closeSaved();
          void submit(e);
        }}>
        <Table<{ id: string }>
          data-testid="reasons-table"
          rowKey="id"
          size="middle"
          pagination={false}
          loading={loaded.isLoading}
          dataSource={list.fields}
          scroll={list.fields.length > 0 ? { x: 'max-content' } : undefined}
          onRow={(_, i) => ({ 'data-code': rows[i ?? 0]?.code ?? '' }) as HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'code', title: t('salesSettings.code'), render: (_, _r, i) => textCell('code', t('salesSettings.code'), i, { disabled: saved.has(rows[i]?.code ?? ''), mono: true, maxLength: 40 }) },
            { key: 'zh', title: t('salesSettings.nameZh'), render: (_, _r, i) => textCell('name.zh', t('salesSettings.nameZh'), i, { maxLength: 80 }) },
            { key: 'en', title: t('salesSettings.nameEn'), render: (_, _r, i) => textCell('name.en', t('salesSettings.nameEn'), i, { maxLength: 80 }) },
            {
              key: 'active',
              title: t('salesSettings.active'),
              render: (_, _r, i) => (
                <Controller
                  control={f.control}
                  name={`items.${i}.active`}
                  render={({ field: c }) => (
                    <Checkbox name={`reason.${i}.active`} aria-label={t('salesSettings.active')} checked={Boolean(c.value)} disabled={!writable} onChange={(e) => c.onChange(e.target.checked)} />
                  )}
                />
              ),
            },
            {
              key: 'remove',
              title: <span className="visually-hidden">{t('salesSettings.remove')}</span>,
              render: (_, _r, i) =>
                writable ? (
                  <Button size="small" type="text" danger onClick={() => list.remove(i)}>
                    {t('salesSettings.remove')}
                  </Button>
                ) : null,
            },
          ]}
        />
        {writable ? (
          <Actions>
            <Button disabled={saver.busy} onClick={() => list.append({ code: '', name: { zh: '', en: '' }, active: true })} data-testid="reason-add">
              {t('salesSettings.addReason')}
            </Button>
            <span style={{ flex: 1 }} />
            <Button disabled={saver.busy || !dirty} onClick={() => form.reset({ items: JSON.parse(original) as LossReason[] } as never)}>
              {t('settings.reset')}
            </Button>
            <Button type="primary" htmlType="submit" disabled={!dirty} loading={saver.busy} data-testid="reasons-save">
              {saver.busy ? t('action.saving') : t('action.save')}
            </Button>
          </Actions>
        ) : null}
      </form>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------

/**
 * 销售流程时限: one ISO 8601 duration per step of a sale, each with what it governs, how it reads
 * ("7天" / "7 days") and the handbook's default. New sales take the saved policy when subscribed.
 */
function SalesPolicyEditor({ writable }: { writable: boolean }) {
  const { t, lang } = useI18n();
  const loaded = useSalesPolicy();
  const saver = useSaver(useSaveSalesPolicy());
  const form = useSchemaForm(PolicyForm, { defaultValues: {} as never });
  const f = form as unknown as UseFormReturn<FieldValues, unknown, FieldValues>;
  const original = loaded.data ? JSON.stringify(loaded.data.policy) : '';
  useEffect(() => {
    if (original) form.reset(JSON.parse(original) as never);
  }, [original, form]);
  const draft = (useWatch({ control: f.control }) as Partial<SalesPolicy> | undefined) ?? {};
  const dirty = Boolean(original) && JSON.stringify(Object.fromEntries(SALES_POLICY_FIELDS.map((k) => [k, draft[k]]))) !== JSON.stringify(Object.fromEntries(SALES_POLICY_FIELDS.map((k) => [k, (JSON.parse(original) as SalesPolicy)[k]])));
  const defaults = loaded.data?.defaults;

  const reading = (iso: string | undefined) => {
    const text = formatIsoDuration((iso ?? '').trim(), lang);
    return text === (iso ?? '').trim() ? t('salesPolicy.unreadable') : text;
  };
  const submit = form.handleSubmit((v) => {
    const body = Object.fromEntries(SALES_POLICY_FIELDS.map((k) => [k, String((v as Record<string, unknown>)[k] ?? '').trim()])) as unknown as SalesPolicy;
    void saver.run(body, (err) => placeProblem(f, lang, err, (p) => ((SALES_POLICY_FIELDS as readonly string[]).includes(p) ? p : null)));
  });

  return (
    <Card title={<h2 className="card-title-h">{t('salesSettings.deadlines')}</h2>}>
      <SavedNotice shown={saver.saved} onClose={saver.closeSaved} />
      <Typography.Paragraph type="secondary">{t('salesPolicy.intro')}</Typography.Paragraph>
      <ProblemAlert error={loaded.error} onRetry={() => void loaded.refetch()} withCode />
      {saver.error && saver.rest.length > 0 ? <ProblemAlert error={saver.error} extraErrors={saver.rest} withCode /> : null}
      <form noValidate data-testid="policy-form" onSubmit={(e) => {
          // A new attempt: the last save's notice goes (a refusal in the browser must not sit under "已保存").
          saver.closeSaved();
          void submit(e);
        }}>
        <Table<{ field: keyof SalesPolicy }>
          data-testid="policy-table"
          rowKey="field"
          size="middle"
          pagination={false}
          loading={loaded.isLoading}
          dataSource={original ? SALES_POLICY_FIELDS.map((field) => ({ field })) : []}
          scroll={original ? { x: 'max-content' } : undefined}
          onRow={(r) => ({ 'data-field': r.field }) as HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'step',
              title: t('salesPolicy.step'),
              render: (_, { field }) => (
                <Space direction="vertical" size={0}>
                  <strong>{t(`salesPolicy.${field}` as const)}</strong>
                  <Typography.Text type="secondary" className="field-hint">
                    {t(`salesPolicy.${field}.desc` as const)}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              key: 'duration',
              title: t('salesPolicy.duration'),
              render: (_, { field }) => (
                <>
                  <Controller
                    control={f.control}
                    name={field}
                    render={({ field: c }) => (
                      <Input
                        name={field}
                        className="mono"
                        aria-label={t(`salesPolicy.${field}` as const)}
                        aria-invalid={errorAt(f, field) ? true : undefined}
                        value={(c.value as string) ?? ''}
                        placeholder={defaults?.[field]}
                        disabled={!writable}
                        maxLength={40}
                        status={errorAt(f, field) ? 'error' : undefined}
                        onChange={(e) => c.onChange(e.target.value)}
                        onBlur={c.onBlur}
                        style={{ width: 130 }}
                      />
                    )}
                  />
                  <CellError error={errorAt(f, field)} testId="policy-error" />
                </>
              ),
            },
            {
              key: 'reading',
              title: t('salesPolicy.reading'),
              onCell: () => ({ 'data-testid': 'policy-reading' }) as HTMLAttributes<HTMLElement>,
              render: (_, { field }) => reading(draft[field]),
            },
            {
              key: 'default',
              title: t('salesPolicy.default'),
              render: (_, { field }) =>
                defaults ? (
                  <Typography.Text type="secondary">
                    <span className="mono">{defaults[field]}</span> · {formatIsoDuration(defaults[field], lang)}
                  </Typography.Text>
                ) : null,
            },
          ]}
        />
        {writable ? (
          <Actions>
            <Button disabled={saver.busy || !defaults} onClick={() => defaults && form.reset({ ...(JSON.parse(original) as SalesPolicy), ...defaults } as never, { keepDefaultValues: true })} data-testid="policy-defaults">
              {t('salesSettings.defaults')}
            </Button>
            <Button disabled={saver.busy || !dirty} onClick={() => form.reset(JSON.parse(original) as never)}>
              {t('settings.reset')}
            </Button>
            <Button type="primary" htmlType="submit" disabled={!dirty} loading={saver.busy} data-testid="policy-save">
              {saver.busy ? t('action.saving') : t('action.save')}
            </Button>
          </Actions>
        ) : null}
      </form>
    </Card>
  );
}
