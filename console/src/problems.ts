/**
 * API problems in the console's language: the title from the problem's `code`, the detail from its
 * `reason` and `params`, each field error from its `code` and `params`, all through translate().
 * A code this console does not know (a newer server) keeps the server's own text, which the server
 * wrote in the language the console asked for (Accept-Language, api.ts).
 */
import { translate, type Lang, type MessageKey } from './i18n.js';
import { isErrorReason } from '../../api/http/error-catalogue.js';

export type ProblemParams = Record<string, string | number>;

/** A field error: `code` and `params` are what the console translates; `message` is the server's text. */
export interface FieldError {
  path: string;
  code?: string;
  params?: ProblemParams;
  message: string;
}

/**
 * RFC 9457 problem details as the API sends them (api/http/errors.ts ProblemSchema): `code` and
 * `reason` with `params` are what the console translates; `title` and `detail` are the server's
 * text, in the language the console asks for.
 */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  code: string;
  reason?: string;
  params?: ProblemParams;
  detail?: string;
  errors?: FieldError[];
}

const keyOf = (code: string | undefined): MessageKey | null => (isErrorReason(code) ? `problem.${code}` : null);

export function problemText(lang: Lang, p: Problem): { title: string; detail: string | undefined } {
  const titleKey = keyOf(p.code);
  const detailKey = keyOf(p.reason);
  return {
    title: titleKey ? translate(lang, titleKey) : p.title,
    detail: detailKey && p.detail !== undefined ? translate(lang, detailKey, p.params) : p.detail,
  };
}

export function fieldErrorText(lang: Lang, e: FieldError): string {
  const key = keyOf(e.code);
  return key ? translate(lang, key, e.params) : e.message;
}
