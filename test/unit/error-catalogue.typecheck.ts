/**
 * Compile-time rules of the error catalogues (app/errors.ts), checked by `tsc` (npm run typecheck):
 * every `@ts-expect-error` below must meet an error, else the typecheck fails. Not a vitest file.
 */
import { COMMON_ERRORS, defineErrors, errorsOf } from '../../app/errors.js';

const CATALOGUE = defineErrors({
  THING_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '不存在', en: 'Thing not found' },
  THING_OFFICE_ONLY: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '仅（{tier}）', en: 'Only the {tier} office' },
  THING_CLOSED: { status: 409, 'zh-CN': '已关闭', en: 'The thing is closed' },
  THING_CLOSED_AS: { status: 409, code: 'THING_CLOSED', 'zh-CN': '{number} 已关闭', en: 'Thing {number} is closed' },
});
const thingError = errorsOf({ ...COMMON_ERRORS, ...CATALOGUE });

export const allowed = [
  thingError('THING_OFFICE_ONLY', { tier: 'PROJECT' }),
  thingError('THING_CLOSED'),
  thingError('OUT_OF_SCOPE'),
  thingError('TOO_SHORT', { minimum: 3 }, { field: 'body.name' }),
  thingError.field('body.tier', 'THING_OFFICE_ONLY', { tier: 'GROUP' }),
];

export const refused = () => [
  // @ts-expect-error a param the template names is missing
  thingError('THING_OFFICE_ONLY'),
  // @ts-expect-error a param the template does not name
  thingError('THING_OFFICE_ONLY', { tie: 'x' }),
  // @ts-expect-error a reason the catalogue does not hold
  thingError('NO_SUCH_REASON'),
  // @ts-expect-error params for a reason without placeholders
  thingError('THING_CLOSED', { x: 1 }),
  defineErrors({
    // @ts-expect-error a refinement with another status than the code it refines
    A: { status: 403, code: 'NOT_FOUND', 'zh-CN': '甲', en: 'a' },
  }),
  defineErrors({
    // @ts-expect-error zh-CN and en with different placeholders
    B: { status: 404, code: 'NOT_FOUND', 'zh-CN': '乙 {x}', en: 'b {y}' },
  }),
  defineErrors({
    // @ts-expect-error a wire code of its own (a title) with a placeholder
    C: { status: 409, 'zh-CN': '丙 {x}', en: 'c {x}' },
  }),
  defineErrors({
    // @ts-expect-error refining a code that is neither common nor of this catalogue
    D: { status: 409, code: 'NO_SUCH_CODE', 'zh-CN': '丁', en: 'd' },
  }),
  defineErrors({
    E: { status: 409, 'zh-CN': '戊', en: 'e' },
    // @ts-expect-error a status other than its own catalogue's code
    F: { status: 404, code: 'E', 'zh-CN': '己', en: 'f' },
  }),
  defineErrors({
    // @ts-expect-error no English text
    G: { status: 409, 'zh-CN': '庚' },
  }),
  defineErrors({
    // @ts-expect-error no status
    H: { 'zh-CN': '辛', en: 'h' },
  }),
];
