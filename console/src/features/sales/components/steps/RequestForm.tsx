/**
 * The requests a sales manager decides — cancellation, unit change (the unit by building and room,
 * searchable), rename — each with its reason.
 */
import { Controller } from 'react-hook-form';
import { Input } from 'antd';
import { CancelBody, ChangeUnitBody, RenameBody } from '../../../../../../api/sales/schemas.js';
import { formatArea } from '../../../../format.js';
import { useI18n } from '../../../../i18n.js';
import { FieldRow, useSchemaForm } from '../../../../shared/forms.js';
import { UnitPicker } from '../../../../shared/UnitPicker.js';
import { salesApi } from '../../api.js';
import { ACTION_LABEL, type ActionFormProps } from './actions.js';
import { StepFormShell, useStep } from './StepFormShell.js';

const REQUEST = {
  cancel: { schema: CancelBody, kind: 'cancel', fields: ['reason'] },
  changeUnit: { schema: ChangeUnitBody, kind: 'change_unit', fields: ['unitId', 'reason'] },
  rename: { schema: RenameBody, kind: 'rename', fields: ['buyerName', 'reason'] },
} as const;

/**
 * A request a sales manager decides (cancellation, unit change, rename) on react-hook-form with the
 * server's own body schema: the same rules and error codes, checked before sending, errors under
 * their fields in the user's language; a refusal's field errors land on their fields.
 */
export function RequestForm({ action, sale, units, unitsLoading, onCancel, onDone }: ActionFormProps & { action: keyof typeof REQUEST }) {
  const { t, lang } = useI18n();
  const spec = REQUEST[action];
  const form = useSchemaForm(spec.schema as typeof CancelBody, { defaultValues: { reason: '', unitId: undefined, buyerName: '' } as never });
  const { send, rest } = useStep(
    form as never,
    () => spec.fields,
    (body: Record<string, string>) =>
      action === 'cancel'
        ? salesApi.cancel(sale.id, { reason: body.reason! })
        : action === 'changeUnit'
          ? salesApi.changeUnit(sale.id, { unitId: body.unitId!, reason: body.reason! })
          : salesApi.rename(sale.id, { buyerName: body.buyerName!, reason: body.reason! }),
    (updated) => onDone(t('sale.requested', { kind: t(`approvalKind.${spec.kind}` as const) }), updated),
  );
  const submit = form.handleSubmit((v) => send.mutate(v as Record<string, string>));
  const available = units.filter((u) => u.status === 'AVAILABLE' && u.id !== sale.unit.id);
  const hint = action === 'cancel' ? `${t('saleAct.approvalHint')} ${t('saleAct.cancelHint')}` : t('saleAct.approvalHint');
  return (
    <StepFormShell action={action} label={t(ACTION_LABEL[action])} danger={action === 'cancel'} send={send} rest={rest} onCancel={onCancel} onSubmit={() => void submit()}>
      {action === 'changeUnit' ? (
        <FieldRow form={form as never} name="unitId" label={t('saleAct.newUnit')} required hint={available.length === 0 && !unitsLoading ? t('newSale.noUnits') : t('newSale.unitHint')}>
          <Controller
            control={form.control}
            name={'unitId' as never}
            render={({ field, fieldState }) => (
              <UnitPicker
                id="unitId"
                testId="change-unit-select"
                units={available}
                loading={unitsLoading}
                value={(field.value as string | undefined) || undefined}
                onChange={field.onChange}
                onBlur={field.onBlur}
                invalid={Boolean(fieldState.error)}
                placeholder={t('newSale.unitPlaceholder')}
                label={t('saleAct.newUnit')}
                roomLabel={(u) => `${u.number} · ${formatArea(u.area, lang)}`}
              />
            )}
          />
        </FieldRow>
      ) : null}
      {action === 'rename' ? (
        <FieldRow form={form as never} name="buyerName" label={t('saleAct.newBuyerName')} required>
          <Controller
            control={form.control}
            name={'buyerName' as never}
            render={({ field }) => <Input {...field} value={(field.value as string) ?? ''} id="buyerName" name="buyerName" maxLength={60} autoComplete="off" />}
          />
        </FieldRow>
      ) : null}
      <FieldRow form={form as never} name="reason" label={t('saleAct.reason')} required hint={hint}>
        <Controller
          control={form.control}
          name={'reason' as never}
          render={({ field }) => <Input.TextArea {...field} value={(field.value as string) ?? ''} id="reason" name="reason" rows={3} maxLength={500} />}
        />
      </FieldRow>
    </StepFormShell>
  );
}
