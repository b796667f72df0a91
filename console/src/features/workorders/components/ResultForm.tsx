/**
 * The visit's result: what was found and done, the materials (rows), the photos it shows (chosen
 * from the uploaded ones) and its cost entered in yuan and sent in whole fen. Checked with the
 * server's RecordResultBody.
 */
import { useRef, useState } from 'react';
import { App, Button, Checkbox, Form, Input, InputNumber, Typography } from 'antd';
import { Controller, useFieldArray } from 'react-hook-form';
import { RecordResultBody } from '../../../../../api/repairs/schemas.js';
import { uuid, type FieldError } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useRecordResult, type WorkOrderPhoto } from '../api.js';
import { PhotoThumb } from './PhotoThumb.js';

export function ResultForm({ orderId, photos }: { orderId: string; photos: readonly WorkOrderPhoto[] }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const record = useRecordResult(orderId);
  const [rest, setRest] = useState<FieldError[]>([]);
  const keyRef = useRef(uuid());
  const form = useSchemaForm(RecordResultBody, { defaultValues: { text: '', materials: [], photoKeys: [], costFen: 0 } });
  const { control, handleSubmit } = form;
  const materials = useFieldArray({ control, name: 'materials' });

  const submit = handleSubmit(async (body) => {
    setRest([]);
    try {
      await record.mutateAsync({ body, key: keyRef.current });
      keyRef.current = uuid();
      void message.success({ content: t('job.result.recorded'), key: 'wo-result' });
    } catch (err) {
      setRest(applyProblem(form, lang, err, ['text', 'costFen', 'photoKeys']));
    }
  });
  const edited = () => {
    keyRef.current = uuid();
  };

  return (
    <Form component="form" layout="vertical" noValidate onFinish={() => void submit()} onChange={edited} data-testid="result-form">
      {record.error ? <ProblemAlert error={record.error} extraErrors={rest} withCode /> : null}
      <FieldRow form={form} name="text" label={t('job.result.text')} required>
        <Controller control={control} name="text" render={({ field }) => <Input.TextArea {...field} id="text" rows={3} maxLength={4000} />} />
      </FieldRow>
      <fieldset className="field-section">
        <legend>{t('job.result.materials')}</legend>
        {materials.fields.map((m, i) => (
          <div key={m.id} className="material-row" data-testid="material-row">
            <Controller control={control} name={`materials.${i}.name`} render={({ field }) => <Input {...field} aria-label={t('job.result.material.name')} placeholder={t('job.result.material.name')} maxLength={100} status={form.formState.errors.materials?.[i]?.name ? 'error' : undefined} />} />
            <Controller
              control={control}
              name={`materials.${i}.quantity`}
              render={({ field }) => <InputNumber value={field.value} onChange={(v) => field.onChange(v ?? undefined)} onBlur={field.onBlur} min={0} aria-label={t('job.result.material.quantity')} placeholder={t('job.result.material.quantity')} style={{ width: '100%' }} status={form.formState.errors.materials?.[i]?.quantity ? 'error' : undefined} />}
            />
            <Controller control={control} name={`materials.${i}.unit`} render={({ field }) => <Input {...field} aria-label={t('job.result.material.unit')} placeholder={t('job.result.material.unit')} maxLength={20} status={form.formState.errors.materials?.[i]?.unit ? 'error' : undefined} />} />
            <Button onClick={() => materials.remove(i)} aria-label={t('job.result.removeMaterial')}>
              ×
            </Button>
          </div>
        ))}
        <Button onClick={() => materials.append({ name: '', quantity: 1, unit: '' })} data-testid="add-material">
          {t('job.result.addMaterial')}
        </Button>
      </fieldset>
      <FieldRow form={form} name="photoKeys" label={t('job.result.photos')}>
        {photos.length === 0 ? (
          <Typography.Text type="secondary">{t('job.result.noPhotos')}</Typography.Text>
        ) : (
          <Controller
            control={control}
            name="photoKeys"
            render={({ field }) => (
              <Checkbox.Group value={field.value as string[]} onChange={(v) => field.onChange(v)} className="field-photos" data-testid="result-photos">
                {photos.map((p, i) => (
                  <Checkbox key={p.key} value={p.key} data-testid="result-photo">
                    <PhotoThumb orderId={orderId} photoKey={p.key} alt={t('job.photoAlt', { n: i + 1 })} />
                  </Checkbox>
                ))}
              </Checkbox.Group>
            )}
          />
        )}
      </FieldRow>
      <FieldRow form={form} name="costFen" label={t('job.result.cost')} hint={t('job.result.costHint')}>
        <Controller
          control={control}
          name="costFen"
          render={({ field }) => (
            <InputNumber
              id="costFen"
              min={0}
              step={0.01}
              precision={2}
              value={typeof field.value === 'number' ? field.value / 100 : null}
              onChange={(yuan) => field.onChange(typeof yuan === 'number' ? Math.round(yuan * 100) : 0)}
              onBlur={field.onBlur}
              style={{ width: '100%' }}
            />
          )}
        />
      </FieldRow>
      <Button type="primary" htmlType="submit" size="large" block loading={record.isPending} data-testid="result-submit">
        {t('job.result.submit')}
      </Button>
    </Form>
  );
}
