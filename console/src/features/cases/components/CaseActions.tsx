/**
 * What the user may do on the case now — the same rules the API applies (domain/access.ts), so no
 * button leads to a 403 — each in a small form checked with the server's body schema: first
 * contact, pause/resume, resolve, escalate, the callback with labelled ratings, a note (no status
 * change, no clock), and editing severity, category, assignee, description and the callback contact
 * (audited on the timeline). Every success is confirmed where the user looks (antd message).
 */
import { useState, type ReactNode } from 'react';
import { Controller, type FieldValues, type UseFormReturn } from 'react-hook-form';
import { App, Button, Checkbox, Form, Input, Radio, Select, Space, Switch, Typography } from 'antd';
import type { z } from 'zod';
import { canNoteCase, canRecordCallback, canWorkCase, hasPermission, type CaseRef } from '../../../../../domain/access.js';
import { SEVERITIES } from '../../../../../domain/cases/types.js';
import type { Category } from '../../../../../domain/cases/categories.js';
import { AddNoteBody, CallbackBody, ChangeCaseBody, EmptyBody, EscalateBody, NoteBody, PauseBody, ResolveBody } from '../../../../../api/cases/schemas.js';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type User } from '../../../api.js';
import { casesApi } from '../api.js';
import { useI18n, type MessageKey } from '../../../i18n.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { refreshCase } from '../api.js';
import type { CallbackOutcome, CaseView } from '../model.js';
import { CategoryCascader } from './CategoryCascader.js';
import { principalOf } from '../../../principal.js';

export type Action = 'contact' | 'pause' | 'resume' | 'resolve' | 'escalate' | 'callback' | 'note' | 'edit';

export function availableActions(c: CaseView, user: User): Action[] {
  const ref: CaseRef = { caseTier: c.tier, groupId: c.groupId, companyId: c.companyId, projectId: c.projectId };
  const principal = principalOf(user);
  const work = canWorkCase({ principal, ...ref });
  const canEscalate = work && c.tier !== 'GROUP' && !c.escalations.some((e) => e.status === 'pending');
  const out: Action[] = [];
  switch (c.status) {
    case 'open':
      if (work) out.push('contact');
      if (canEscalate) out.push('escalate');
      break;
    case 'contacted':
      if (work) out.push('resolve', 'pause');
      if (canEscalate) out.push('escalate');
      break;
    case 'waiting_on_customer':
      if (work) out.push('resume');
      if (canEscalate) out.push('escalate');
      break;
    case 'resolved':
      if (canRecordCallback({ principal, ...ref })) out.push('callback');
      break;
    case 'closed':
      break;
  }
  if (c.status !== 'closed' && canNoteCase({ principal, ...ref })) out.push('note');
  if (work && c.status !== 'closed' && c.status !== 'resolved') out.push('edit');
  return out;
}

export const ACTION_LABEL: Record<Action, MessageKey> = {
  contact: 'case.contact',
  pause: 'case.pause',
  resume: 'case.resume',
  resolve: 'case.resolve',
  escalate: 'case.escalate',
  callback: 'case.callback',
  note: 'casePage.addNote',
  edit: 'case.edit',
};

const DONE: Record<Action, MessageKey> = {
  contact: 'casePage.done.contact',
  pause: 'casePage.done.pause',
  resume: 'casePage.done.resume',
  resolve: 'casePage.done.resolve',
  escalate: 'casePage.done.escalate',
  callback: 'casePage.done.callback',
  note: 'casePage.done.note',
  edit: 'casePage.done.edit',
};

/** One text action: the textarea (`name="text"`) is the schema's field `field`. */
const TEXT_ACTIONS = {
  contact: { schema: NoteBody, field: 'note', label: 'case.contactNote', required: true },
  pause: { schema: PauseBody, field: 'reason', label: 'case.pauseReason', required: true },
  resolve: { schema: ResolveBody, field: 'resolution', label: 'case.resolution', required: true },
  escalate: { schema: EscalateBody, field: 'reason', label: 'case.escalateReason', required: true },
  note: { schema: AddNoteBody, field: 'text', label: 'casePage.noteText', required: true },
} as const satisfies Partial<Record<Action, { schema: z.ZodType<unknown, FieldValues>; field: string; label: MessageKey; required: boolean }>>;

function FormShell({ action, onCancel, busy, error, children, submitLabel, onSubmit }: { action: Action; onCancel: () => void; busy: boolean; error: unknown; children: ReactNode; submitLabel: string; onSubmit: () => void }) {
  const { t } = useI18n();
  return (
    <Form layout="vertical" component="form" onFinish={onSubmit} data-testid={`form-${action}`} className="action-form" noValidate>
      <ProblemAlert error={error} />
      {children}
      <Space>
        <Button onClick={onCancel} disabled={busy}>
          {t('action.cancel')}
        </Button>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="action-submit">
          {submitLabel}
        </Button>
      </Space>
    </Form>
  );
}

interface FormProps {
  c: CaseView;
  user: User;
  categories: readonly Category[];
  onDone: (action: Action, answer: unknown) => void;
  onCancel: () => void;
}

function useRun(c: CaseView, action: Action, onDone: FormProps['onDone']) {
  const qc = useQueryClient();
  const { lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (call: () => Promise<unknown>, form?: UseFormReturn<FieldValues, unknown, FieldValues>, fields: readonly string[] = []) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await call();
      refreshCase(qc, c.id, answer);
      onDone(action, answer);
    } catch (err) {
      const rest = form ? applyProblem(form, lang, err, fields) : [];
      if (!form || rest.length > 0 || !(err as { problem?: { errors?: unknown[] } }).problem?.errors?.length) setError(err);
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function TextActionForm({ action, c, onDone, onCancel }: FormProps & { action: keyof typeof TEXT_ACTIONS }) {
  const { t } = useI18n();
  const spec = TEXT_ACTIONS[action];
  const form = useSchemaForm(spec.schema as z.ZodType<unknown, FieldValues>, { defaultValues: { [spec.field]: '' } });
  const { busy, error, run } = useRun(c, action, onDone);
  const submit = form.handleSubmit((v) => {
    const text = String((v as Record<string, unknown>)[spec.field] ?? '');
    return run(() => {
      switch (action) {
        case 'contact':
          return casesApi.contact(c.id, text);
        case 'pause':
          return casesApi.pause(c.id, text);
        case 'resolve':
          return casesApi.resolve(c.id, text);
        case 'escalate':
          return casesApi.escalate(c.id, text);
        case 'note':
          return casesApi.note(c.id, { text });
      }
    }, form as never, [spec.field]);
  });
  return (
    <FormShell action={action} onCancel={onCancel} busy={busy} error={error} submitLabel={t('case.submit')} onSubmit={() => void submit()}>
      {action === 'note' ? <Typography.Paragraph type="secondary">{t('casePage.noteHint')}</Typography.Paragraph> : null}
      <FieldRow form={form} name={spec.field} label={t(spec.label)} required={spec.required}>
        <Controller control={form.control} name={spec.field} render={({ field }) => <Input.TextArea {...field} id={spec.field} name="text" rows={3} maxLength={4000} autoFocus />} />
      </FieldRow>
    </FormShell>
  );
}

function ResumeForm({ c, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const form = useSchemaForm(EmptyBody);
  const { busy, error, run } = useRun(c, 'resume', onDone);
  return (
    <FormShell action="resume" onCancel={onCancel} busy={busy} error={error} submitLabel={t('case.resume')} onSubmit={() => void form.handleSubmit(() => run(() => casesApi.resume(c.id)))()}>
      <Typography.Paragraph>{t('casePage.resumeHint')}</Typography.Paragraph>
    </FormShell>
  );
}

function CallbackForm({ c, user, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const form = useSchemaForm(CallbackBody, { defaultValues: { comment: '' } as never });
  const { busy, error, run } = useRun(c, 'callback', onDone);
  const submit = form.handleSubmit((v) =>
    run(() => casesApi.callback(c.id, { satisfaction: v.satisfaction, ...(v.comment ? { comment: v.comment } : {}), ...(v.escalate ? { escalate: true } : {}) }), form as never, ['satisfaction', 'comment']),
  );
  return (
    <FormShell action="callback" onCancel={onCancel} busy={busy} error={error} submitLabel={t('case.submit')} onSubmit={() => void submit()}>
      <FieldRow form={form} name="satisfaction" label={t('casePage.satisfaction')} required>
        <Controller
          control={form.control}
          name="satisfaction"
          render={({ field }) => (
            <Radio.Group
              id="satisfaction"
              name="satisfaction"
              data-testid="satisfaction"
              value={field.value}
              onChange={(e) => field.onChange(Number(e.target.value))}
              options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: `${n} ${t(`rating.${n}` as MessageKey)}` }))}
            />
          )}
        />
      </FieldRow>
      <FieldRow form={form} name="comment" label={t('case.callbackComment')}>
        <Controller control={form.control} name="comment" render={({ field }) => <Input.TextArea {...field} value={field.value ?? ''} id="comment" name="text" rows={3} maxLength={2000} />} />
      </FieldRow>
      {user.role !== 'AGENT' ? (
        <Controller
          control={form.control}
          name="escalate"
          render={({ field }) => (
            <Form.Item>
              <Checkbox name="escalate" checked={Boolean(field.value)} onChange={(e) => field.onChange(e.target.checked)}>
                {t('case.callbackEscalate')}
              </Checkbox>
            </Form.Item>
          )}
        />
      ) : null}
    </FormShell>
  );
}

function EditForm({ c, user, categories, onDone, onCancel }: FormProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const caseContact = c.contact && c.contact.source === 'case' ? { name: c.contact.name, phone: c.contact.phone } : undefined;
  const form = useSchemaForm(ChangeCaseBody, {
    defaultValues: { severity: c.severity, category: c.category, description: c.description, ...(c.assigneeId ? { assigneeId: c.assigneeId } : {}), ...(caseContact ? { contact: caseContact } : {}) } as never,
  });
  const [otherContact, setOtherContact] = useState(Boolean(caseContact));
  const { busy, error, run } = useRun(c, 'edit', onDone);
  const canPickAssignee = hasPermission(user.role, 'users:read');
  const handlers = useQuery({
    queryKey: ['cases', 'handlers'],
    enabled: canPickAssignee,
    queryFn: async ({ signal }) => (await api.users({ role: 'HANDLER', page: 1, pageSize: 200 }, signal)).items,
  });
  const submit = form.handleSubmit((v) => {
    const body: Record<string, unknown> = {};
    if (v.severity && v.severity !== c.severity) body.severity = v.severity;
    if (v.category && v.category !== c.category) body.category = v.category;
    if (v.assigneeId && v.assigneeId !== c.assigneeId) body.assigneeId = v.assigneeId;
    if (v.description !== undefined && v.description !== c.description) body.description = v.description;
    if (otherContact && v.contact && (v.contact.name !== caseContact?.name || v.contact.phone !== caseContact?.phone)) body.contact = v.contact;
    if (!otherContact && caseContact) body.contact = null;
    if (Object.keys(body).length === 0) {
      void message.info(t('casePage.nothingChanged'));
      onCancel();
      return;
    }
    return run(() => casesApi.update(c.id, body), form as never, ['severity', 'category', 'assigneeId', 'description', 'contact.name', 'contact.phone', 'contact']);
  });
  return (
    <FormShell action="edit" onCancel={onCancel} busy={busy} error={error} submitLabel={t('case.submit')} onSubmit={() => void submit()}>
      <FieldRow form={form} name="severity" label={t('cases.severity')}>
        <Controller
          control={form.control}
          name="severity"
          render={({ field }) => <Radio.Group id="severity" optionType="button" value={field.value} onChange={(e) => field.onChange(e.target.value)} options={SEVERITIES.map((s) => ({ value: s, label: t(`severity.${s}` as const) }))} />}
        />
      </FieldRow>
      <FieldRow form={form} name="category" label={t('cases.category')}>
        <Controller control={form.control} name="category" render={({ field }) => <CategoryCascader id="category" root={c.type} value={field.value} onChange={field.onChange} categories={categories} />} />
      </FieldRow>
      <FieldRow form={form} name="assigneeId" label={t('cases.assignee')}>
        <Controller
          control={form.control}
          name="assigneeId"
          render={({ field }) =>
            canPickAssignee ? (
              <Select
                id="assigneeId"
                value={field.value}
                onChange={field.onChange}
                showSearch={{ optionFilterProp: 'label' }}
                style={{ width: '100%' }}
                placeholder={t('common.choose')}
                options={(handlers.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
                aria-label={t('cases.assignee')}
              />
            ) : (
              <Button id="assigneeId" type={field.value === user.id ? 'primary' : 'default'} data-testid="assign-to-me" onClick={() => field.onChange(user.id)}>
                {t('case.assignToMe')}
              </Button>
            )
          }
        />
      </FieldRow>
      <FieldRow form={form} name="description" label={t('case.description')} hint={t('casePage.auditedHint')}>
        <Controller control={form.control} name="description" render={({ field }) => <Input.TextArea {...field} value={field.value ?? ''} id="description" name="description" rows={4} maxLength={4000} />} />
      </FieldRow>
      <Form.Item label={t('casePage.otherContact')} htmlFor="other-contact">
        <Switch id="other-contact" checked={otherContact} onChange={setOtherContact} data-testid="other-contact" />
      </Form.Item>
      {otherContact ? (
        <Space wrap align="start">
          <FieldRow form={form} name="contact.name" label={t('casePage.contactName')} required>
            <Controller control={form.control} name="contact.name" render={({ field }) => <Input {...field} value={field.value ?? ''} id="contact.name" name="contactName" maxLength={60} />} />
          </FieldRow>
          <FieldRow form={form} name="contact.phone" label={t('casePage.contactPhone')} required>
            <Controller control={form.control} name="contact.phone" render={({ field }) => <Input {...field} value={field.value ?? ''} id="contact.phone" name="contactPhone" type="tel" maxLength={40} />} />
          </FieldRow>
        </Space>
      ) : null}
    </FormShell>
  );
}

export function ActionForm(props: FormProps & { action: Action }) {
  const { action } = props;
  if (action === 'resume') return <ResumeForm {...props} />;
  if (action === 'callback') return <CallbackForm {...props} />;
  if (action === 'edit') return <EditForm {...props} />;
  return <TextActionForm {...props} action={action} />;
}

/** The confirmation of a done action, in words, and for a callback what it led to. */
export function doneText(action: Action, t: (k: MessageKey, v?: Record<string, string | number>) => string, outcome?: CallbackOutcome): string {
  if (action === 'callback' && outcome) return t(`casePage.callback.${outcome.outcome}` as MessageKey);
  return t(DONE[action]);
}
