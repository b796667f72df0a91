/**
 * Inspection and handover, each on useSchemaForm with its server body schema (InspectionBody,
 * HandoverBody): the keys and the measured area, and the defects found — each a location, a repair
 * category and a description (react-hook-form's field array), every one of them checked before
 * sending, its error under its field.
 */
import { Controller, useFieldArray, type FieldValues, type UseFormReturn } from 'react-hook-form';
import { Button, Card, Col, Input, InputNumber, Row, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMemo } from 'react';
import { HandoverBody, InspectionBody } from '../../../../../../api/sales/schemas.js';
import type { useCategoryTree } from '../../../cases/api.js';
import { categoryName } from '../../../cases/categories.js';
import { useI18n } from '../../../../i18n.js';
import { FieldRow, useSchemaForm } from '../../../../shared/forms.js';
import { salesApi, type Sale } from '../../api.js';
import { bodyForm } from '../../forms.js';
import { ACTION_LABEL, type ActionFormProps } from './actions.js';
import { StepFormShell, StepText, useStep } from './StepFormShell.js';

const InspectionForm_ = bodyForm(InspectionBody);
const HandoverForm_ = bodyForm(HandoverBody);

type Categories = ReturnType<typeof useCategoryTree>;
interface DefectValues {
  location: string;
  category: string;
  description: string;
}

const defectFields = (defects: readonly unknown[] | undefined) => (defects ?? []).flatMap((_, i) => [`defects.${i}.location`, `defects.${i}.category`, `defects.${i}.description`]);

/** The repair categories a defect may name: the taxonomy's `repair` branch and building quality. */
function useDefectCategories(categories: Categories) {
  return useMemo(
    () => categories.filter((c) => (c.code.startsWith('repair.') || c.code.startsWith('complaint.quality.')) && !categories.some((x) => x.parent === c.code)),
    [categories],
  );
}

function DefectsEditor({ form, categories }: { form: UseFormReturn<FieldValues & { defects?: DefectValues[] }, unknown, FieldValues>; categories: Categories }) {
  const { t, lang } = useI18n();
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'defects' });
  const options = useDefectCategories(categories).map((c) => ({ value: c.code, label: categoryName(c.code, lang, categories) }));
  const listError = (form.formState.errors.defects as { message?: string } | undefined)?.message;
  return (
    <fieldset className="defects-editor" data-testid="defects-editor">
      <legend>{t('saleAct.defects')}</legend>
      {fields.map((f, i) => (
        <Card key={f.id} size="small" data-testid="defect-row" style={{ marginBottom: 12 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <StepText form={form} name={`defects.${i}.location`} label={t('saleAct.location')} required maxLength={120} hint={t('saleAct.locationHint')} />
            </Col>
            <Col xs={24} md={12}>
              <FieldRow form={form} name={`defects.${i}.category`} label={t('saleAct.category')} required>
                <Controller
                  control={form.control}
                  name={`defects.${i}.category`}
                  render={({ field, fieldState }) => (
                    <Select
                      id={`defects.${i}.category`}
                      value={(field.value as string) || undefined}
                      onChange={(v: string) => field.onChange(v)}
                      onBlur={field.onBlur}
                      options={options}
                      showSearch={{ optionFilterProp: 'label' }}
                      placeholder={t('common.choose')}
                      status={fieldState.error ? 'error' : undefined}
                      aria-label={t('saleAct.category')}
                      style={{ width: '100%' }}
                    />
                  )}
                />
              </FieldRow>
            </Col>
          </Row>
          <FieldRow form={form} name={`defects.${i}.description`} label={t('saleAct.description')} required>
            <Controller
              control={form.control}
              name={`defects.${i}.description`}
              render={({ field }) => (
                <Input.TextArea {...field} value={(field.value as string) ?? ''} id={`defects.${i}.description`} name={`defects.${i}.description`} rows={2} maxLength={2000} />
              )}
            />
          </FieldRow>
          <Button danger type="text" size="small" icon={<DeleteOutlined />} onClick={() => remove(i)} data-testid="defect-remove">
            {t('saleAct.removeDefect')}
          </Button>
        </Card>
      ))}
      {listError ? (
        <div className="field-error" role="alert" data-testid="error-defects">
          {listError}
        </div>
      ) : null}
      <div>
        <Button size="small" icon={<PlusOutlined />} onClick={() => append({ location: '', category: '', description: '' })} data-testid="defect-add">
          {t('saleAct.addDefect')}
        </Button>
      </div>
    </fieldset>
  );
}

export function InspectionForm({ sale, categories, onCancel, onDone }: ActionFormProps) {
  const { t } = useI18n();
  const form = useSchemaForm(InspectionForm_, { defaultValues: { defects: [] } });
  const { send, rest } = useStep(
    form,
    () => ['defects', ...defectFields(form.getValues('defects'))],
    (body: Parameters<typeof salesApi.inspection>[1]) => salesApi.inspection(sale.id, body),
    (u: Sale) => onDone(t('sale.done'), u),
  );
  return (
    <StepFormShell action="inspection" label={t(ACTION_LABEL.inspection)} send={send} rest={rest} onCancel={onCancel} onSubmit={() => void form.handleSubmit((b) => send.mutate(b))()}>
      <p className="field-hint">
        {t('saleAct.defectsHint')}
      </p>
      <DefectsEditor form={form as never} categories={categories} />
    </StepFormShell>
  );
}

export function HandoverForm({ sale, categories, onCancel, onDone }: ActionFormProps) {
  const { t } = useI18n();
  const form = useSchemaForm(HandoverForm_, { defaultValues: { keysIssued: 2, measuredArea: sale.contractArea, defects: [] } });
  const { send, rest } = useStep(
    form,
    () => ['keysIssued', 'measuredArea', 'defects', ...defectFields(form.getValues('defects'))],
    (body: Parameters<typeof salesApi.handover>[1]) => salesApi.handover(sale.id, body),
    (u: Sale) => onDone(t('sale.done'), u),
  );
  const submit = form.handleSubmit(({ defects, ...b }) => send.mutate({ ...b, ...(defects && defects.length > 0 ? { defects } : {}) }));
  return (
    <StepFormShell action="handover" label={t(ACTION_LABEL.handover)} send={send} rest={rest} onCancel={onCancel} onSubmit={() => void submit()}>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <FieldRow form={form} name="keysIssued" label={t('saleAct.keysIssued')} required>
            <Controller
              control={form.control}
              name="keysIssued"
              render={({ field, fieldState }) => (
                <InputNumber
                  id="keysIssued"
                  name="keysIssued"
                  min={1}
                  max={50}
                  precision={0}
                  value={field.value ?? null}
                  onChange={(v) => field.onChange(v === null ? undefined : v)}
                  onBlur={field.onBlur}
                  status={fieldState.error ? 'error' : undefined}
                  style={{ width: '100%' }}
                />
              )}
            />
          </FieldRow>
        </Col>
        <Col xs={24} md={12}>
          <StepText
            form={form}
            name="measuredArea"
            label={t('saleAct.measuredArea')}
            required
            inputMode="decimal"
            maxLength={12}
            hint={t('saleAct.measuredAreaHint', { area: sale.contractArea })}
          />
        </Col>
      </Row>
      <p className="field-hint">
        {t('saleAct.handoverDefectsHint')}
      </p>
      <DefectsEditor form={form as never} categories={categories} />
    </StepFormShell>
  );
}
