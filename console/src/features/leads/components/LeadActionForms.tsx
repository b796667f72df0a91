/**
 * The other actions on a lead, each a form checked in the browser with the server's body schema
 * (api/leads/schemas.ts: GradeBody, LostBody, ConvertBody) so an error shows under its field, in the
 * user's language, before anything is sent: re-grade, mark lost (a loss reason from the settings),
 * convert (an available unit, price and deposit: the deposit may not exceed the price), and, for sales
 * managers, assign. The workflow still decides: a refusal comes back as a 409 with its code.
 * Answers are awaited (mutateAsync), not mutate's callbacks: a refetch may unmount a form meanwhile.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Button, Flex, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { Controller, type FieldValues, type UseFormReturn } from 'react-hook-form';
import { ConvertBody, GradeBody, LostBody } from '../../../../../api/leads/schemas.js';
import { GRADES } from '../../../../../domain/leads/types.js';
import { PAYMENT_METHODS } from '../../../../../domain/sales/types.js';
import type { Unit, User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { FieldRow, applyProblem, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { UnitPicker } from '../../../shared/UnitPicker.js';
import { useLeadAction, type Lead, type LeadDetail, type LossReason } from '../api.js';
import { AssignControl } from './LeadActions.js';
import { lossReasonName } from './lead-ui.js';

export type LeadAction = 'regrade' | 'lost' | 'convert' | 'assign';

const ACTION_LABEL = { regrade: 'lead.regrade', convert: 'lead.convert', lost: 'lead.markLost', assign: 'lead.assign' } as const;

/** A server refusal: its field errors go on the fields; the rest shows above the form. */
function useRefusal<T extends FieldValues>(form: UseFormReturn<T, unknown, FieldValues>, fields: readonly string[]) {
  const { lang } = useI18n();
  const [error, setError] = useState<unknown>(null);
  return {
    error,
    clear: () => setError(null),
    onError: (err: unknown) => {
      const rest = applyProblem(form, lang, err, fields);
      if (rest.length > 0 || !(err as { problem?: { errors?: unknown[] } }).problem?.errors?.length) setError(err);
    },
  };
}

function FormShell({ testId, error, busy, label, danger, onCancel, onSubmit, children }: { testId: string; error: unknown; busy: boolean; label: string; danger?: boolean; onCancel: () => void; onSubmit: () => void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Form layout="vertical" component="form" onFinish={onSubmit} data-testid={testId} className="action-form" noValidate style={{ marginTop: 16 }}>
      {error ? <ProblemAlert error={error} withCode /> : null}
      {children}
      <Space wrap>
        <Button onClick={onCancel} disabled={busy}>
          {t('action.cancel')}
        </Button>
        <Button type="primary" danger={danger} htmlType="submit" loading={busy} data-testid="action-submit">
          {busy ? t('action.saving') : label}
        </Button>
      </Space>
    </Form>
  );
}

export function RegradeForm({ lead, onDone, onCancel }: { lead: LeadDetail; onDone: (updated: Lead) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const form = useSchemaForm(GradeBody, { defaultValues: { grade: GRADES.find((g) => g !== lead.grade)! } });
  const regrade = useLeadAction('grade');
  const refusal = useRefusal(form, ['grade']);
  const grade = form.watch('grade');
  const submit = form.handleSubmit((v) => {
    refusal.clear();
    void regrade.mutateAsync({ leadId: lead.id, body: v }).then(onDone, refusal.onError);
  });
  return (
    <FormShell testId="form-regrade" error={refusal.error} busy={regrade.isPending} label={t('lead.regrade')} onCancel={onCancel} onSubmit={() => void submit()}>
      <FieldRow form={form} name="grade" label={t('lead.newGrade')} required hint={grade ? `${t(`grade.${grade}.desc` as const)} · ${t('lead.regradeHint')}` : undefined}>
        <Controller
          control={form.control}
          name="grade"
          render={({ field }) => (
            <Radio.Group
              name="grade"
              aria-label={t('lead.newGrade')}
              optionType="button"
              buttonStyle="solid"
              value={field.value}
              onChange={(e) => field.onChange(e.target.value)}
              options={GRADES.map((g) => ({ value: g, label: t(`grade.${g}` as const), disabled: g === lead.grade }))}
            />
          )}
        />
      </FieldRow>
    </FormShell>
  );
}

export function LostForm({ lead, reasons, onDone, onCancel }: { lead: LeadDetail; reasons: LossReason[]; onDone: (updated: Lead) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const form = useSchemaForm(LostBody, { defaultValues: { reason: '', note: '' } });
  const lost = useLeadAction('lost');
  const refusal = useRefusal(form, ['reason', 'note']);
  const submit = form.handleSubmit((v) => {
    refusal.clear();
    void lost.mutateAsync({ leadId: lead.id, body: { reason: v.reason, ...(v.note ? { note: v.note } : {}) } }).then(onDone, refusal.onError);
  });
  const active = reasons.filter((r) => r.active);
  return (
    <FormShell testId="form-lost" error={refusal.error} busy={lost.isPending} label={t('lead.markLost')} danger onCancel={onCancel} onSubmit={() => void submit()}>
      <FieldRow form={form} name="reason" label={t('lead.lossReason')} required>
        <Controller
          control={form.control}
          name="reason"
          render={({ field }) => (
            <Select
              id="reason"
              data-testid="loss-reason"
              value={field.value || undefined}
              placeholder={t('common.choose')}
              showSearch={{ optionFilterProp: 'label' }}
              style={{ maxWidth: 320 }}
              onChange={(v: string) => field.onChange(v)}
              onBlur={field.onBlur}
              options={active.map((r) => ({ value: r.code, label: lossReasonName(r.code, reasons, lang) }))}
            />
          )}
        />
      </FieldRow>
      <FieldRow form={form} name="note" label={t('lead.lossNote')} hint={t('lead.lostHint')}>
        <Controller control={form.control} name="note" render={({ field }) => <Input.TextArea {...field} value={field.value ?? ''} id="note" name="note" rows={2} maxLength={2000} />} />
      </FieldRow>
    </FormShell>
  );
}

export function ConvertForm({
  lead,
  units,
  unitsLoading,
  onSaleStarted,
  onDone,
  onCancel,
}: {
  lead: LeadDetail;
  units: Unit[];
  unitsLoading: boolean;
  /** The sale the conversion started, when the answer names it. */
  onSaleStarted: (saleId: string) => void;
  onDone: (updated: Lead) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const form = useSchemaForm(ConvertBody, { defaultValues: { unitId: '', price: '', deposit: '', paymentMethod: 'full' } });
  const convert = useLeadAction('convert');
  const refusal = useRefusal(form, ['unitId', 'price', 'deposit', 'paymentMethod']);
  // Converting opens the sale, which reserves the unit: only units nobody has reserved are on sale.
  const onSale = useMemo(() => units.filter((u) => u.status === 'AVAILABLE'), [units]);
  const submit = form.handleSubmit((v) => {
    refusal.clear();
    void convert.mutateAsync({ leadId: lead.id, body: v }).then((converted) => {
      if (typeof converted?.saleId === 'string' && converted.saleId) onSaleStarted(converted.saleId);
      onDone(converted);
    }, refusal.onError);
  });
  return (
    <FormShell testId="form-convert" error={refusal.error} busy={convert.isPending} label={t('lead.convert')} onCancel={onCancel} onSubmit={() => void submit()}>
      <FieldRow form={form} name="unitId" label={t('lead.unit')} required hint={onSale.length === 0 && !unitsLoading ? t('lead.noUnits') : t('lead.unitHint')}>
        <Controller
          control={form.control}
          name="unitId"
          render={({ field }) => (
            <UnitPicker
              id="unitId"
              testId="convert-unit"
              label={t('lead.unit')}
              placeholder={t('lead.unitPlaceholder')}
              units={onSale}
              loading={unitsLoading}
              value={field.value || undefined}
              onChange={(v) => field.onChange(v ?? '')}
              onBlur={field.onBlur}
              roomLabel={(u) => `${u.number} · ${t('lead.unitArea', { area: u.area })}`}
              invalid={Boolean(form.formState.errors.unitId)}
            />
          )}
        />
      </FieldRow>
      <Flex gap={16} wrap>
        <div style={{ flex: '1 1 200px' }}>
          <FieldRow form={form} name="price" label={t('lead.price')} required>
            <Controller
              control={form.control}
              name="price"
              render={({ field }) => <Input {...field} value={String(field.value ?? '')} id="price" name="price" inputMode="decimal" autoComplete="off" prefix="¥" />}
            />
          </FieldRow>
        </div>
        <div style={{ flex: '1 1 200px' }}>
          <FieldRow form={form} name="deposit" label={t('lead.deposit')} required>
            <Controller
              control={form.control}
              name="deposit"
              render={({ field }) => <Input {...field} value={String(field.value ?? '')} id="deposit" name="deposit" inputMode="decimal" autoComplete="off" prefix="¥" />}
            />
          </FieldRow>
        </div>
      </Flex>
      <FieldRow form={form} name="paymentMethod" label={t('newSale.paymentMethod')} hint={t('lead.convertHint')}>
        <Controller
          control={form.control}
          name="paymentMethod"
          render={({ field }) => (
            <Radio.Group
              name="paymentMethod"
              aria-label={t('newSale.paymentMethod')}
              data-testid="convert-payment-method"
              value={field.value}
              onChange={(e) => field.onChange(e.target.value)}
              options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payMethod.${m}` as const) }))}
            />
          )}
        />
      </FieldRow>
    </FormShell>
  );
}

/** The action bar (what the caller may do now) and the chosen action's form. */
export function LeadActionsPanel({
  lead,
  actions,
  staff,
  staffLoading,
  reasons,
  units,
  unitsLoading,
  onSaleStarted,
  onDone,
}: {
  lead: LeadDetail;
  actions: LeadAction[];
  staff: readonly User[];
  staffLoading: boolean;
  reasons: LossReason[];
  units: Unit[];
  unitsLoading: boolean;
  onSaleStarted: (saleId: string) => void;
  onDone: (text: string, updated: Lead) => void;
}) {
  const { t } = useI18n();
  const [action, setAction] = useState<LeadAction | null>(null);
  const close = () => setAction(null);
  const done = (text: string) => (updated: Lead) => {
    setAction(null);
    onDone(text, updated);
  };
  if (actions.length === 0)
    return (
      <Typography.Text type="secondary" data-testid="no-actions">
        {t('lead.noActions')}
      </Typography.Text>
    );
  const shown = action && actions.includes(action) ? action : null;
  return (
    <>
      <Space wrap>
        {actions.map((a) => (
          <Button
            key={a}
            type={shown === a ? 'primary' : 'default'}
            danger={a === 'lost'}
            aria-pressed={shown === a}
            data-testid={`action-${a}`}
            onClick={() => setAction(shown === a ? null : a)}
          >
            {t(ACTION_LABEL[a])}
          </Button>
        ))}
      </Space>
      {shown === 'assign' ? (
        <div className="action-form" data-testid="form-assign" style={{ marginTop: 16 }}>
          <AssignControl
            lead={lead}
            staff={staff}
            staffLoading={staffLoading}
            onDone={(updated, owner) => done(t('pool.assigned', { number: lead.number, name: owner?.displayName ?? '' }))(updated)}
          />
        </div>
      ) : null}
      {shown === 'regrade' ? <RegradeForm lead={lead} onDone={done(t('lead.done'))} onCancel={close} /> : null}
      {shown === 'lost' ? <LostForm lead={lead} reasons={reasons} onDone={done(t('lead.done'))} onCancel={close} /> : null}
      {shown === 'convert' ? (
        <ConvertForm lead={lead} units={units} unitsLoading={unitsLoading} onSaleStarted={onSaleStarted} onDone={done(t('lead.done'))} onCancel={close} />
      ) : null}
    </>
  );
}
