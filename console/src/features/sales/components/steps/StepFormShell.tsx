/**
 * What every step form of the sale page shares: an antd form (checked by useSchemaForm with the
 * server's body schema before sending), the refusal's alert for what no field holds, and cancel /
 * submit; `useStep` sends the body and puts a refusal's field errors on their fields.
 */
import { useState, type ReactNode } from 'react';
import { Controller, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { Button, Form, Input, Space } from 'antd';
import { useMutation } from '@tanstack/react-query';
import type { FieldError } from '../../../../api.js';
import { useI18n } from '../../../../i18n.js';
import { applyProblem, FieldRow } from '../../../../shared/forms.js';
import { ProblemAlert } from '../../../../shared/ProblemAlert.js';
import type { Sale } from '../../api.js';
import type { Action } from './actions.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyForm = UseFormReturn<any, unknown, any>;

/**
 * Sends a step's body; on a refusal its field errors land on `fields` of `form` (the rest in the
 * alert; without a form, all of them).
 */
export function useStep<B>(form: AnyForm | null, fields: () => readonly string[], call: (body: B) => Promise<Sale>, onSuccess: (updated: Sale) => void) {
  const { lang } = useI18n();
  const [rest, setRest] = useState<FieldError[] | undefined>(undefined);
  const send = useMutation({
    mutationFn: call,
    onMutate: () => setRest(undefined),
    onSuccess,
    onError: (err) => setRest(form ? applyProblem(form, lang, err, fields()) : undefined),
  });
  return { send, rest };
}

export function StepFormShell({
  action,
  label,
  danger,
  send,
  rest,
  onSubmit,
  onCancel,
  children,
}: {
  action: Action;
  label: string;
  danger?: boolean;
  send: { error: unknown; isPending: boolean };
  /** The refusal's errors no field shows (undefined: all of the refusal's). */
  rest: FieldError[] | undefined;
  onSubmit: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Form layout="vertical" component="form" className="action-form" noValidate requiredMark data-testid={`form-${action}`} onFinish={onSubmit} style={{ marginTop: 12 }}>
      {send.error ? <ProblemAlert error={send.error} extraErrors={rest} withCode /> : null}
      {children}
      <Space wrap>
        <Button onClick={onCancel} disabled={send.isPending}>
          {t('action.cancel')}
        </Button>
        <Button type="primary" danger={danger} htmlType="submit" loading={send.isPending} data-testid="action-submit">
          {send.isPending ? t('action.saving') : label}
        </Button>
      </Space>
    </Form>
  );
}

/** A one-line text field of a step form (its `name` is also the input's, which tests and autofill read). */
export function StepText<T extends FieldValues>({
  form,
  name,
  label,
  required,
  hint,
  maxLength,
  inputMode,
  prefix,
  normalise,
}: {
  form: UseFormReturn<T, unknown, FieldValues>;
  name: Path<T>;
  label: string;
  required?: boolean;
  hint?: ReactNode;
  maxLength?: number;
  inputMode?: 'decimal' | 'numeric' | 'text';
  prefix?: string;
  /** What is kept of what is typed (amounts drop thousands separators). */
  normalise?: (text: string) => string;
}) {
  return (
    <FieldRow form={form} name={name} label={label} required={required} hint={hint}>
      <Controller
        control={form.control}
        name={name}
        render={({ field }) => (
          <Input
            id={name}
            name={name}
            autoComplete="off"
            maxLength={maxLength}
            inputMode={inputMode}
            prefix={prefix}
            value={(field.value as string | undefined) ?? ''}
            onChange={(e) => field.onChange(normalise ? normalise(e.target.value) : e.target.value)}
            onBlur={field.onBlur}
            ref={field.ref}
          />
        )}
      />
    </FieldRow>
  );
}

/** Amounts as the server's Money reads them: no thousands separators or spaces. */
export const amountText = (text: string) => text.replace(/[,\s，]/g, '');
