/**
 * The mortgage's steps (documents submitted, approved, rejected, disbursed) in the order the
 * workflow accepts them.
 */
import { Controller } from 'react-hook-form';
import { Input, Radio, Space } from 'antd';
import { MortgageBody } from '../../../../../../api/sales/schemas.js';
import { useI18n } from '../../../../i18n.js';
import { FieldRow, useSchemaForm } from '../../../../shared/forms.js';
import { salesApi, type MortgageEvent } from '../../api.js';
import { yuan } from '../../model.js';
import { ACTION_LABEL, NEXT_MORTGAGE_EVENTS, type ActionFormProps } from './actions.js';
import { StepFormShell, useStep } from './StepFormShell.js';

/**
 * The mortgage's next step on useSchemaForm with the server's MortgageBody: an approval names the
 * bank and the loan (the schema's own cross-field rule, with its codes), checked before sending.
 */
export function MortgageForm({ sale, onCancel, onDone }: ActionFormProps) {
  const { t, lang } = useI18n();
  const next = sale.mortgage ? NEXT_MORTGAGE_EVENTS[sale.mortgage.status] : [];
  const form = useSchemaForm(MortgageBody, { defaultValues: { event: next[0], bank: sale.mortgage?.bank ?? undefined, amount: undefined } as never });
  const event = form.watch('event' as never) as unknown as MortgageEvent | undefined;
  const withAmount = event === 'approved' || event === 'disbursed';
  const { send, rest } = useStep(
    form as never,
    () => ['event', 'bank', 'amount'],
    (body: { event: MortgageEvent; bank?: string; amount?: string }) => salesApi.mortgage(sale.id, body),
    (updated) => onDone(t('sale.done'), updated),
  );
  const submit = form.handleSubmit((v) => {
    const b = v as { event: MortgageEvent; bank?: string; amount?: string };
    send.mutate({ event: b.event, ...(b.bank ? { bank: b.bank } : {}), ...(withAmount && b.amount ? { amount: b.amount } : {}) });
  });
  const optional = (v: string) => (v.trim() === '' ? undefined : v);
  return (
    <StepFormShell action="mortgage" label={t(ACTION_LABEL.mortgage)} danger={event === 'rejected'} send={send} rest={rest} onCancel={onCancel} onSubmit={() => void submit()}>
      <FieldRow form={form as never} name="event" label={t('saleAct.mortgageEvent')} required>
        <Controller
          control={form.control}
          name={'event' as never}
          render={({ field }) => (
            <Radio.Group
              id="event"
              name="event"
              data-testid="mortgage-event"
              optionType="button"
              value={field.value}
              onChange={(e) => field.onChange(e.target.value)}
              options={next.map((ev) => ({ value: ev, label: t(`saleAct.mev.${ev}` as const) }))}
            />
          )}
        />
      </FieldRow>
      <Space wrap size={16} align="start">
        <FieldRow form={form as never} name="bank" label={t('saleAct.bank')} required={event === 'approved'}>
          <Controller
            control={form.control}
            name={'bank' as never}
            render={({ field }) => (
              <Input id="bank" name="bank" maxLength={60} autoComplete="off" value={(field.value as string | undefined) ?? ''} onChange={(e) => field.onChange(optional(e.target.value))} onBlur={field.onBlur} />
            )}
          />
        </FieldRow>
        {withAmount ? (
          <FieldRow
            form={form as never}
            name="amount"
            label={event === 'approved' ? t('saleAct.loanAmount') : t('saleAct.disbursedAmount')}
            required={event === 'approved'}
            hint={event === 'disbursed' ? `${t('saleAct.disbursedHint')}${sale.mortgage?.amount ? ` (${yuan(sale.mortgage.amount, lang)})` : ''}` : undefined}
          >
            <Controller
              control={form.control}
              name={'amount' as never}
              render={({ field }) => (
                <Input
                  id="amount"
                  name="amount"
                  inputMode="decimal"
                  autoComplete="off"
                  prefix="¥"
                  value={(field.value as string | undefined) ?? ''}
                  onChange={(e) => field.onChange(optional(e.target.value.replace(/[,\s，]/g, '')))}
                  onBlur={field.onBlur}
                />
              )}
            />
          </FieldRow>
        ) : null}
      </Space>
    </StepFormShell>
  );
}
