/**
 * The steps that record a fact of the sale — the contract, the filing, a payment, the switch to full
 * payment — each on useSchemaForm with its server body schema (the same rules and codes, checked
 * before sending, errors under their fields in the user's language). Times are entered and shown
 * in the project's time zone and sent as ISO with its offset.
 */
import { Controller, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { Col, Row, Typography } from 'antd';
import { ContractBody, FilingBody, PaymentBody } from '../../../../../../api/sales/schemas.js';
import { useI18n } from '../../../../i18n.js';
import { FieldRow, useSchemaForm } from '../../../../shared/forms.js';
import { ZonedDateTimePicker, zoneLabel } from '../../../../shared/ZonedDateTimePicker.js';
import { salesApi, type Sale } from '../../api.js';
import { bodyForm } from '../../forms.js';
import { yuan } from '../../model.js';
import { ACTION_LABEL, type ActionFormProps } from './actions.js';
import { amountText, StepFormShell, StepText, useStep } from './StepFormShell.js';

const ContractForm_ = bodyForm(ContractBody);
const FilingForm_ = bodyForm(FilingBody);
const PaymentForm_ = bodyForm(PaymentBody);

/** A time of the step, in the project's zone ("empty for now" where the server takes the present). */
function StepTime<T extends FieldValues>({ form, name, label, hint, timeZone }: { form: UseFormReturn<T, unknown, FieldValues>; name: Path<T>; label: string; hint: string; timeZone: string }) {
  const { t } = useI18n();
  return (
    <FieldRow form={form} name={name} label={label} hint={`${hint} · ${t('saleAct.inZone', { zone: zoneLabel(timeZone) })}`}>
      <Controller
        control={form.control}
        name={name}
        render={({ field, fieldState }) => (
          <ZonedDateTimePicker
            id={name}
            testId={`time-${name}`}
            zone={timeZone}
            value={field.value as string | undefined}
            onChange={field.onChange}
            onBlur={field.onBlur}
            label={label}
            placeholder={t('saleAct.timePlaceholder')}
            invalid={Boolean(fieldState.error)}
          />
        )}
      />
    </FieldRow>
  );
}

export function ContractForm({ sale, timeZone, onCancel, onDone }: ActionFormProps) {
  const { t } = useI18n();
  const form = useSchemaForm(ContractForm_, { defaultValues: { contractNo: '', signedAt: undefined } });
  const { send, rest } = useStep(form, () => ['contractNo', 'signedAt'], (body: Parameters<typeof salesApi.contract>[1]) => salesApi.contract(sale.id, body), (u: Sale) => onDone(t('sale.done'), u));
  return (
    <StepFormShell action="contract" label={t(ACTION_LABEL.contract)} send={send} rest={rest} onCancel={onCancel} onSubmit={() => void form.handleSubmit((b) => send.mutate(b))()}>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <StepText form={form} name="contractNo" label={t('saleAct.contractNo')} required maxLength={60} />
        </Col>
        <Col xs={24} md={12}>
          <StepTime form={form} name="signedAt" label={t('saleAct.signedAt')} hint={t('saleAct.signedAtHint')} timeZone={timeZone} />
        </Col>
      </Row>
    </StepFormShell>
  );
}

export function FilingForm({ sale, onCancel, onDone }: ActionFormProps) {
  const { t } = useI18n();
  const form = useSchemaForm(FilingForm_, { defaultValues: { filingNo: '' } });
  const { send, rest } = useStep(form, () => ['filingNo'], (body: Parameters<typeof salesApi.filing>[1]) => salesApi.filing(sale.id, body), (u: Sale) => onDone(t('sale.done'), u));
  return (
    <StepFormShell action="filing" label={t(ACTION_LABEL.filing)} send={send} rest={rest} onCancel={onCancel} onSubmit={() => void form.handleSubmit((b) => send.mutate(b))()}>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <StepText form={form} name="filingNo" label={t('saleAct.filingNo')} required maxLength={60} />
        </Col>
      </Row>
    </StepFormShell>
  );
}

export function PaymentForm({ sale, timeZone, onCancel, onDone }: ActionFormProps) {
  const { t, lang } = useI18n();
  const form = useSchemaForm(PaymentForm_, { defaultValues: { amount: '', paidAt: undefined } });
  const { send, rest } = useStep(form, () => ['amount', 'paidAt'], (body: Parameters<typeof salesApi.payment>[1]) => salesApi.payment(sale.id, body), (u: Sale) => onDone(t('sale.done'), u));
  return (
    <StepFormShell action="payment" label={t(ACTION_LABEL.payment)} send={send} rest={rest} onCancel={onCancel} onSubmit={() => void form.handleSubmit((b) => send.mutate(b))()}>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <StepText
            form={form}
            name="amount"
            label={t('saleAct.amount')}
            required
            inputMode="decimal"
            prefix="¥"
            maxLength={20}
            normalise={amountText}
            hint={`${t('sale.outstanding')}: ${yuan(sale.outstanding, lang)}`}
          />
        </Col>
        <Col xs={24} md={12}>
          <StepTime form={form} name="paidAt" label={t('saleAct.paidAt')} hint={t('saleAct.paidAtHint')} timeZone={timeZone} />
        </Col>
      </Row>
    </StepFormShell>
  );
}

/** After a rejected mortgage: full payment (nothing to fill in; the workflow restarts the payment deadline). */
export function SwitchFullForm({ sale, onCancel, onDone }: ActionFormProps) {
  const { t } = useI18n();
  const { send, rest } = useStep(null, () => [], () => salesApi.paymentMethod(sale.id, { paymentMethod: 'full' }), (u: Sale) => onDone(t('sale.done'), u));
  return (
    <StepFormShell action="switchFull" label={t(ACTION_LABEL.switchFull)} send={send} rest={rest} onCancel={onCancel} onSubmit={() => send.mutate(undefined)}>
      <Typography.Paragraph>{t('saleAct.switchFullHint')}</Typography.Paragraph>
    </StepFormShell>
  );
}
