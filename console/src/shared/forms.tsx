/**
 * Forms on react-hook-form, checked in the browser with the server's own zod schema
 * (api/<module>/schemas.ts) before submitting: the same rules, the same error codes
 * (api/http/field-errors.ts), translated in the user's language and shown under the field they
 * concern. An error clears as soon as the field is corrected; a refusal the server still sends
 * (a rule only the server can check) lands on its field too, else in the form's alert.
 *
 * The resolver is ours, not @hookform/resolvers' zodResolver: that one would show zod's English
 * messages, where the server's codes and translations are what the user must see.
 */
import { useEffect, type ReactNode } from 'react';
import { Form } from 'antd';
import { useForm, type FieldErrors, type FieldValues, type Path, type Resolver, type UseFormProps, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { fieldErrorsFromZod } from '../../../api/http/field-errors.js';
import { ApiError, type FieldError as ProblemFieldError } from '../api.js';
import { useI18n, type Lang } from '../i18n.js';
import { fieldErrorText } from '../problems.js';

type Schema = z.ZodType<unknown, FieldValues>;

/** A field error as react-hook-form holds it: `type` is the error code, `message` its text. */
function toFormErrors(lang: Lang, list: readonly ProblemFieldError[]): FieldErrors {
  const errors: Record<string, unknown> = {};
  for (const e of list) {
    const path = e.path.split('.');
    let node = errors;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    const leaf = path.at(-1)!;
    // The first error of a field is the one to fix first.
    node[leaf] ??= { type: e.code ?? 'INVALID', message: fieldErrorText(lang, e) };
  }
  return errors as FieldErrors;
}

/** The server's schema as a react-hook-form resolver, with coded, translated messages. */
export function schemaResolver<S extends Schema>(schema: S, lang: Lang): Resolver<z.input<S> & FieldValues, unknown, z.output<S> & FieldValues> {
  return async (values) => {
    const parsed = await schema.safeParseAsync(values, { reportInput: true });
    if (parsed.success) return { values: parsed.data as z.output<S> & FieldValues, errors: {} };
    const list = fieldErrorsFromZod(parsed.error, '').map((f) => ({ path: f.path, code: f.reason, params: f.params, message: f.reason }));
    return { values: {}, errors: toFormErrors(lang, list) as FieldErrors<z.input<S> & FieldValues> };
  };
}

/**
 * A form checked by a server schema: validated on blur first, then on every change of a field
 * that has an error (so "required" goes the moment the field is filled), and again in the
 * other language when the user switches.
 */
export function useSchemaForm<S extends Schema>(
  schema: S,
  props: Omit<UseFormProps<z.input<S> & FieldValues, unknown, z.output<S> & FieldValues>, 'resolver'> = {},
): UseFormReturn<z.input<S> & FieldValues, unknown, z.output<S> & FieldValues> {
  const { lang } = useI18n();
  const form = useForm<z.input<S> & FieldValues, unknown, z.output<S> & FieldValues>({
    mode: 'onTouched',
    reValidateMode: 'onChange',
    ...props,
    resolver: schemaResolver(schema, lang),
  });
  const { trigger, formState } = form;
  useEffect(() => {
    const withErrors = Object.keys(formState.errors) as Path<z.input<S> & FieldValues>[];
    if (withErrors.length > 0) void trigger(withErrors);
    // Only a language change re-checks: the errors shown are re-translated.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lang]);
  return form;
}

/**
 * Puts a refusal's field errors (problem+json `errors[]`, paths like `body.customer.phone`) on the
 * form's fields; answers the errors it could not place (shown in the form's alert).
 */
export function applyProblem<T extends FieldValues>(form: UseFormReturn<T, unknown, FieldValues>, lang: Lang, error: unknown, fields: readonly string[]): ProblemFieldError[] {
  if (!(error instanceof ApiError)) return [];
  const rest: ProblemFieldError[] = [];
  for (const e of error.problem.errors ?? []) {
    const path = e.path.replace(/^(body|query|params)\./, '');
    if (fields.includes(path)) form.setError(path as Path<T>, { type: e.code ?? 'SERVER', message: fieldErrorText(lang, e) }, { shouldFocus: rest.length === 0 });
    else rest.push(e);
  }
  return rest;
}

/** Reads a nested error (`customer.phone`) of a form. */
function errorAt(errors: FieldErrors, name: string): { message?: string; type?: string } | undefined {
  let node: unknown = errors;
  for (const part of name.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node as { message?: string; type?: string } | undefined;
}

/**
 * A labelled field with its error underneath (antd Form.Item as layout only: the value lives in
 * react-hook-form). `data-field` and `data-error` let tests find a field and its error code.
 */
export function FieldRow<T extends FieldValues>({
  form,
  name,
  label,
  required,
  hint,
  children,
}: {
  form: UseFormReturn<T, unknown, FieldValues>;
  name: Path<T>;
  label: ReactNode;
  required?: boolean;
  hint?: ReactNode;
  children: ReactNode;
}) {
  const error = errorAt(form.formState.errors, name);
  return (
    <Form.Item
      label={label}
      required={required}
      validateStatus={error ? 'error' : undefined}
      // The hint is `extra`, never the `help` an error replaces: with Ant Design's motion off (reduced
      // motion), a help line that changed from hint to error kept showing the hint.
      help={error?.message ? <span data-testid={`error-${name}`} data-error={error.type}>{error.message}</span> : undefined}
      extra={hint}
      htmlFor={name}
      data-field={name}
    >
      {children}
    </Form.Item>
  );
}
