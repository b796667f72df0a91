/**
 * Assign or reassign a work order: a technician or a contractor company from one picker, and for a
 * reassignment the reason the API wants. Checked with the server's AssignBody / ReassignBody; a
 * refusal (not a technician of the project, wrong stage …) is shown with its translated code.
 */
import { useMemo, useRef, useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Typography } from 'antd';
import { Controller, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { AssignBody, ReassignBody } from '../../../../../api/repairs/schemas.js';
import { uuid, type FieldError } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useAssign, useReassign, type WorkOrder } from '../api.js';

export interface AssigneeOption {
  kind: 'technician' | 'contractor';
  id: string;
  name: string;
}

type Assignee = z.output<typeof AssignBody>['assignee'];

const valueOf = (a: Assignee | undefined) => (a ? (a.kind === 'technician' ? `technician:${a.userId}` : `contractor:${a.companyId}`) : undefined);
function assigneeOf(value: string): Assignee {
  const [kind, id = ''] = value.split(':');
  return kind === 'technician' ? { kind: 'technician', userId: id } : { kind: 'contractor', companyId: id };
}

function AssigneePicker({ form, options }: { form: UseFormReturn<{ assignee: Assignee }, unknown, never> | UseFormReturn<never, unknown, never>; options: readonly AssigneeOption[] }) {
  const { t } = useI18n();
  const f = form as unknown as UseFormReturn<{ assignee: Assignee }>;
  const grouped = useMemo(
    () =>
      (['technician', 'contractor'] as const)
        .map((kind) => ({
          label: t(kind === 'technician' ? 'dispatch.technicians' : 'dispatch.contractors'),
          options: options.filter((o) => o.kind === kind).map((o) => ({ value: `${o.kind}:${o.id}`, label: o.name })),
        }))
        .filter((g) => g.options.length > 0),
    [options, t],
  );
  return (
    <FieldRow form={f} name="assignee" label={t('dispatch.assignTo')} required hint={t('dispatch.pickHint')}>
      <Controller
        control={f.control}
        name="assignee"
        render={({ field }) => (
          <Select
            id="assignee"
            data-testid="assignee-select"
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('dispatch.pick')}
            aria-label={t('dispatch.assignTo')}
            value={valueOf(field.value)}
            onChange={(v: string) => field.onChange(assigneeOf(v))}
            onBlur={field.onBlur}
            options={grouped}
            style={{ width: '100%' }}
          />
        )}
      />
    </FieldRow>
  );
}

export function AssignDialog({ order, options, onClose }: { order: WorkOrder; options: readonly AssigneeOption[]; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal open title={`${order.assignee ? t('dispatch.reassign') : t('dispatch.assign')} ${order.number}`} onCancel={onClose} footer={null} destroyOnHidden>
      {order.assignee ? <ReassignForm order={order} options={options} onClose={onClose} /> : <AssignForm order={order} options={options} onClose={onClose} />}
    </Modal>
  );
}

function useDone(onClose: () => void, options: readonly AssigneeOption[]) {
  const { t } = useI18n();
  const { message } = App.useApp();
  return (a: Assignee) => {
    const id = a.kind === 'technician' ? a.userId : a.companyId;
    void message.success({ content: t('dispatch.assigned', { name: options.find((o) => o.id === id)?.name ?? id }), key: 'wo-assign' });
    onClose();
  };
}

function AssignForm({ order, options, onClose }: { order: WorkOrder; options: readonly AssigneeOption[]; onClose: () => void }) {
  const { t, lang } = useI18n();
  const assign = useAssign(order.id);
  const [rest, setRest] = useState<FieldError[]>([]);
  const keyRef = useRef(uuid());
  const form = useSchemaForm(AssignBody);
  const done = useDone(onClose, options);
  const submit = form.handleSubmit(async (body) => {
    setRest([]);
    try {
      await assign.mutateAsync({ body, key: keyRef.current });
      done(body.assignee);
    } catch (err) {
      keyRef.current = uuid();
      setRest(applyProblem(form, lang, err, ['assignee', 'assignee.userId', 'assignee.companyId']));
    }
  });
  return (
    <Form component="form" layout="vertical" noValidate onFinish={() => void submit()} data-testid="assign-form">
      {assign.error ? <ProblemAlert error={assign.error} extraErrors={rest} withCode /> : null}
      <AssigneePicker form={form as never} options={options} />
      <Buttons pending={assign.isPending} onClose={onClose} label={t('dispatch.submit')} />
    </Form>
  );
}

function ReassignForm({ order, options, onClose }: { order: WorkOrder; options: readonly AssigneeOption[]; onClose: () => void }) {
  const { t, lang } = useI18n();
  const reassign = useReassign(order.id);
  const [rest, setRest] = useState<FieldError[]>([]);
  const keyRef = useRef(uuid());
  const form = useSchemaForm(ReassignBody, { defaultValues: { reason: '' } });
  const done = useDone(onClose, options);
  const submit = form.handleSubmit(async (body) => {
    setRest([]);
    try {
      await reassign.mutateAsync({ body, key: keyRef.current });
      done(body.assignee);
    } catch (err) {
      keyRef.current = uuid();
      setRest(applyProblem(form, lang, err, ['assignee', 'assignee.userId', 'assignee.companyId', 'reason']));
    }
  });
  return (
    <Form component="form" layout="vertical" noValidate onFinish={() => void submit()} data-testid="assign-form">
      {reassign.error ? <ProblemAlert error={reassign.error} extraErrors={rest} withCode /> : null}
      {order.assignee ? <Typography.Paragraph type="secondary">{`${t('dispatch.assignee')}: ${order.assignee.name ?? order.assignee.id}`}</Typography.Paragraph> : null}
      <AssigneePicker form={form as never} options={options.filter((o) => o.id !== order.assignee?.id)} />
      <FieldRow form={form} name="reason" label={t('dispatch.reason')} required>
        <Controller control={form.control} name="reason" render={({ field }) => <Input.TextArea {...field} id="reason" rows={2} maxLength={500} />} />
      </FieldRow>
      <Buttons pending={reassign.isPending} onClose={onClose} label={t('dispatch.submit')} />
    </Form>
  );
}

function Buttons({ pending, onClose, label }: { pending: boolean; onClose: () => void; label: string }) {
  const { t } = useI18n();
  return (
    <div className="field-actions">
      <Button type="primary" htmlType="submit" loading={pending} data-testid="assign-submit">
        {label}
      </Button>
      <Button onClick={onClose}>{t('dispatch.cancel')}</Button>
    </div>
  );
}
