/**
 * The messages of the API's error codes, merged into the console's dictionaries by i18n.ts as
 * `problem.<REASON>` keys. They are not written again here: the server's catalogues (one per
 * module, app/<module>/errors.ts, registered in api/http/error-catalogue.ts) hold the zh-CN and
 * English templates, with the same `{param}` placeholders translate() fills. A new code is
 * translated by the console as soon as its catalogue has it.
 */
import { ERRORS, ERROR_REASONS, type ErrorReason } from '../../api/http/error-catalogue.js';

type ProblemKey = `problem.${ErrorReason}`;

function dictionary(lang: 'zh-CN' | 'en'): Record<ProblemKey, string> {
  return Object.fromEntries(ERROR_REASONS.map((r) => [`problem.${r}`, ERRORS[r][lang]])) as Record<ProblemKey, string>;
}

export const PROBLEMS_ZH = dictionary('zh-CN');
export const PROBLEMS_EN = dictionary('en');
