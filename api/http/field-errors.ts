/**
 * Validation failures as coded field errors (`{ path, reason, params }`): the API answers them in
 * problem+json, and the console shows the same codes in the user's language when it checks a form
 * with the same schemas before submitting. Pure: zod and the error catalogues only.
 */
import type { z } from 'zod';
import type { FieldError, Params } from '../../app/errors.js';
import { ERRORS, isErrorReason, type ErrorReason } from './error-catalogue.js';

/** A field error of a reason of any catalogue (the edge's validation). */
export function fieldError(path: string, reason: ErrorReason, params: Params = {}): FieldError {
  return { path, reason, spec: ERRORS[reason], params };
}

type ZodIssue = z.core.$ZodIssue & { input?: unknown; params?: Record<string, unknown> };

const list = (values: readonly unknown[]) => values.map((v) => String(v)).join(', ');

/** One zod issue as a coded field error. Parse with `reportInput: true` so that a missing value reads REQUIRED. */
function fieldErrorOfIssue(i: ZodIssue, path: string): FieldError {
  if (isErrorReason(i.message)) return fieldError(path, i.message, (i.params?.values as Params | undefined) ?? {});
  const missing = 'input' in i && i.input === undefined;
  switch (i.code) {
    case 'invalid_type':
      return missing ? fieldError(path, 'REQUIRED') : fieldError(path, 'INVALID_TYPE', { expected: i.expected });
    case 'too_small': {
      const minimum = String(i.minimum);
      if (i.origin === 'string') return Number(i.minimum) <= 1 ? fieldError(path, 'REQUIRED') : fieldError(path, 'TOO_SHORT', { minimum });
      if (i.origin === 'array' || i.origin === 'set') return fieldError(path, 'TOO_FEW', { minimum });
      return fieldError(path, i.inclusive === false ? 'TOO_SMALL_EXCLUSIVE' : 'TOO_SMALL', { minimum });
    }
    case 'too_big': {
      const maximum = String(i.maximum);
      if (i.origin === 'string') return fieldError(path, 'TOO_LONG', { maximum });
      if (i.origin === 'array' || i.origin === 'set') return fieldError(path, 'TOO_MANY', { maximum });
      return fieldError(path, i.inclusive === false ? 'TOO_BIG_EXCLUSIVE' : 'TOO_BIG', { maximum });
    }
    case 'invalid_format':
      return fieldError(path, 'INVALID_FORMAT', { format: i.format });
    case 'invalid_value':
      return missing ? fieldError(path, 'REQUIRED') : fieldError(path, 'INVALID_OPTION', { options: list(i.values) });
    case 'not_multiple_of':
      return fieldError(path, 'NOT_MULTIPLE_OF', { divisor: String(i.divisor) });
    case 'unrecognized_keys':
      return fieldError(path, 'UNKNOWN_FIELDS', { keys: list(i.keys) });
    case 'custom':
      // A refinement that does not name its reason (see coded) keeps its English text.
      return fieldError(path, 'RULE_BROKEN', { rule: i.message });
    default:
      return fieldError(path, 'INVALID_VALUE');
  }
}

export function fieldErrorsFromZod(error: z.ZodError, prefix: string): FieldError[] {
  return (error.issues as ZodIssue[]).map((i) => fieldErrorOfIssue(i, [prefix, ...i.path.map(String)].filter(Boolean).join('.')));
}
