/**
 * Domain errors, outside HTTP. Each module declares its errors once, in its own catalogue
 * (`app/<module>/errors.ts`): the HTTP status beside each code, and a zh-CN and an English message
 * template with `{param}` placeholders. A use case throws `caseError('CASE_TIER_ONLY', { tier })`;
 * api/http/errors.ts turns that into problem+json in the language of the request, and the console
 * translates the same code and params with the same templates (it imports the catalogues).
 *
 * This file and every catalogue stay pure (no Express, no Prisma, no Node APIs): the console's
 * bundle imports them.
 *
 * Two levels of code, so that clients keep what they match on today:
 * - the wire `code` (NOT_FOUND, OUT_OF_SCOPE, CASE_CLOSED…): what a client acts on; its template
 *   is the problem's title and has no placeholders;
 * - the `reason`, the catalogue key (CASE_NOT_FOUND, CASE_TIER_ONLY…): exactly what went wrong; its
 *   template, filled with the params, is the problem's detail. An entry that refines a broader code
 *   names it (`code: 'NOT_FOUND'`) and must declare the same status; an entry without `code` is a
 *   wire code of its own (a workflow refusal such as CASE_CLOSED).
 */

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';

/** The statuses an error may answer with (never 2xx or 3xx). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 423 | 429 | 500 | 503;

export interface ErrorSpec {
  readonly status: ErrorStatus;
  /** The broader wire code this error refines (e.g. NOT_FOUND); absent when the key is a wire code itself. */
  readonly code?: string;
  readonly 'zh-CN': string;
  readonly en: string;
}

export type Catalogue = { readonly [reason: string]: ErrorSpec };

export type ParamValue = string | number;
export type Params = Readonly<Record<string, ParamValue>>;

/** `'Lead {number} is {status}'` → `'number' | 'status'`. */
export type PlaceholdersOf<T extends string> = string extends T
  ? string
  : T extends `${string}{${infer P}}${infer Rest}`
    ? P | PlaceholdersOf<Rest>
    : never;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Compile-time checks of a catalogue (the argument stops compiling, naming the rule it breaks):
 * zh-CN and English use the same placeholders; a wire code of its own has none (it is a title);
 * a refinement names a wire code it may refine and declares that code's status.
 */
type Checked<C extends Catalogue, Families extends Catalogue> = {
  [K in keyof C]: Same<PlaceholdersOf<C[K]['en']>, PlaceholdersOf<C[K]['zh-CN']>> extends false
    ? { 'zh-CN and en must use the same {placeholders}': never }
    : C[K] extends { code: infer F }
      ? F extends keyof C
        ? C[F] extends { code: string }
          ? { 'code must name a wire code (an entry without code of its own)': never }
          : C[K]['status'] extends C[F]['status']
            ? C[K]
            : { 'status must be the status of the code it refines': C[F]['status'] }
        : F extends keyof Families
          ? C[K]['status'] extends Families[F]['status']
            ? C[K]
            : { 'status must be the status of the code it refines': Families[F]['status'] }
          : { 'code must be a common code or one of this catalogue': keyof Families }
      : [PlaceholdersOf<C[K]['en']>] extends [never]
        ? C[K]
        : { 'a wire code of its own is a title: no {placeholders} (refine it with a reason that has them)': never };
};

/** Compiles only when `Missing` is empty: `AllCatalogued<Exclude<CaseRejection, CaseReason | CommonReason>>`. */
export type AllCatalogued<Missing extends never> = Missing;

/** Fills `{name}` placeholders; an unknown name stays as written (the console's translate() does the same). */
export function fillTemplate(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** A problem with one field of the request, as a code with params (rendered per language at the edge). */
export interface FieldError {
  path: string;
  reason: string;
  spec: ErrorSpec;
  params: Params;
}

export class DomainError extends Error {
  override name = 'DomainError';
  /** The wire code: what clients act on. */
  readonly code: string;
  readonly status: ErrorStatus;
  constructor(
    /** The catalogue key: exactly what went wrong. */
    readonly reason: string,
    readonly spec: ErrorSpec,
    readonly params: Params = {},
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    // English in logs and stack traces: logs are for operators.
    super(fillTemplate(spec.en, params));
    this.code = spec.code ?? reason;
    this.status = spec.status;
  }
}

type NoParams = { readonly [name: string]: never };
type ParamsOf<S extends ErrorSpec> = [PlaceholdersOf<S['en']>] extends [never] ? NoParams : { readonly [P in PlaceholdersOf<S['en']>]: ParamValue };

export interface ErrorOptions {
  /** The request field the error is about (`body.category`): also listed in `errors` with this reason. */
  field?: string;
  /** Further field errors to list. */
  fieldErrors?: readonly FieldError[];
}

type ArgsOf<S extends ErrorSpec> = [PlaceholdersOf<S['en']>] extends [never]
  ? [params?: NoParams, options?: ErrorOptions]
  : [params: ParamsOf<S>, options?: ErrorOptions];

type FieldArgsOf<S extends ErrorSpec> = [PlaceholdersOf<S['en']>] extends [never] ? [params?: NoParams] : [params: ParamsOf<S>];

export interface ErrorFactory<C extends Catalogue> {
  /** A DomainError for `reason`, its params typed by the placeholders of its templates. */
  <K extends keyof C & string>(reason: K, ...args: ArgsOf<C[K]>): DomainError;
  /** A field error for `reason` (for `fieldErrors`). */
  field<K extends keyof C & string>(path: string, reason: K, ...args: FieldArgsOf<C[K]>): FieldError;
  /** For a reason known only at run time (a workflow's refusal type): params unchecked. */
  fromReason(reason: keyof C & string, params?: Params): DomainError;
  readonly catalogue: C;
}

/** The typed throw helper of a module: `const caseError = errorsOf({ ...COMMON_ERRORS, ...CASE_ERRORS })`. */
export function errorsOf<const C extends Catalogue>(catalogue: C): ErrorFactory<C> {
  const specOf = (reason: string): ErrorSpec => {
    const spec = catalogue[reason];
    if (!spec) throw new Error(`unknown error reason ${reason}`);
    return spec;
  };
  const field = (path: string, reason: string, params?: Params): FieldError => ({ path, reason, spec: specOf(reason), params: params ?? {} });
  const make = (reason: string, params?: Params, options?: ErrorOptions): DomainError => {
    const fieldErrors = [...(options?.field ? [field(options.field, reason, params)] : []), ...(options?.fieldErrors ?? [])];
    return new DomainError(reason, specOf(reason), params ?? {}, fieldErrors);
  };
  return Object.assign(make, { field, fromReason: (reason: string, params?: Params) => make(reason, params), catalogue }) as unknown as ErrorFactory<C>;
}

/**
 * Declares a module's catalogue; see Checked for what does not compile. `Families` are the wire
 * codes its entries may refine besides its own: the common ones.
 */
export function defineErrors<const C extends Catalogue, Families extends Catalogue = typeof common>(catalogue: C & Checked<C, Families>): C {
  return catalogue;
}

/** A process's record as its messages name it: `{ 'zh-CN': '工单', en: 'case' }`. */
export interface ProcessNoun<Z extends string = string, E extends string = string> {
  readonly 'zh-CN': Z;
  readonly en: E;
}

/** `{ [key]: value }` keeping the key's literal type (a computed key alone widens to `string`). */
const entry = <K extends string, V>(key: K, value: V) => ({ [key]: value }) as { readonly [P in K]: V };
const capitalized = <S extends string>(s: S) => `${s.charAt(0).toUpperCase()}${s.slice(1)}` as Capitalize<S>;

/**
 * The three errors of a long-running process whose workflows are out of reach, the same for every
 * process (503, refining DEPENDENCY_UNAVAILABLE), spread into its catalogue:
 * - `<P>_WORKFLOWS_UNAVAILABLE`: a new record's workflow did not start, so the record was not kept
 *   (`notKept` says so: `{ 'zh-CN': '工单未创建', en: 'the case was not opened' }`);
 * - `<P>_WORKFLOW_UNANSWERED`: the workflow does not answer a query, so the action was not sent;
 * - `<P>_WORKFLOW_UNCONFIRMED`: an Update was not confirmed in time; it may still take effect.
 * The messages keep their literal types, so the catalogue's checks and the typed params still apply.
 * app/shared/workflow-gateway.ts raises them.
 */
export function workflowAvailabilityErrors<const P extends string, const Z extends string, const E extends string, const NZ extends string, const NE extends string>(
  prefix: P,
  noun: ProcessNoun<Z, E>,
  notKept: ProcessNoun<NZ, NE>,
) {
  const [z, e] = [noun['zh-CN'], noun.en];
  const unreachable = { status: 503, code: 'DEPENDENCY_UNAVAILABLE' } as const;
  return {
    ...entry(`${prefix}_WORKFLOWS_UNAVAILABLE` as const, { ...unreachable, 'zh-CN': `${z}流程服务不可用，${notKept['zh-CN']}`, en: `${capitalized(e)} workflows are unavailable; ${notKept.en}` } as const),
    ...entry(`${prefix}_WORKFLOW_UNANSWERED` as const, { ...unreachable, 'zh-CN': `${z}流程暂未响应，未做任何更改，请稍后重试`, en: `The ${e} workflow does not answer; nothing was changed, retry shortly` } as const),
    ...entry(`${prefix}_WORKFLOW_UNCONFIRMED` as const, {
      ...unreachable,
      'zh-CN': `${z}流程未及时确认，操作可能仍会生效，请刷新${z}后再重试`,
      en: `The ${e} workflow did not confirm the action in time; it may still take effect, reload the ${e} before retrying`,
    } as const),
  };
}

// -------------------------------------------------------------------------------------------------
// The common catalogue: wire codes every module refines, and the generic field errors of
// request validation.

const common = {
  VALIDATION_FAILED: { status: 400, 'zh-CN': '请求参数校验失败', en: 'Request validation failed' },
  UNAUTHENTICATED: { status: 401, 'zh-CN': '需要登录', en: 'Authentication required' },
  FORBIDDEN: { status: 403, 'zh-CN': '当前角色无此权限', en: 'Your role may not do this' },
  OUT_OF_SCOPE: { status: 403, 'zh-CN': '超出您的管辖范围', en: 'Outside your scope' },
  NOT_FOUND: { status: 404, 'zh-CN': '未找到', en: 'Not found' },
  CONFLICT: { status: 409, 'zh-CN': '数据冲突', en: 'Conflict' },
  // Every workflow's validators refuse malformed actions with this type (CASE_/LEAD_/SALE_REJECTIONS).
  INVALID_ACTION: { status: 409, 'zh-CN': '当前状态不允许此操作', en: 'This cannot be done in the current state' },
  RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁', en: 'Too many requests' },
  INTERNAL: { status: 500, 'zh-CN': '内部错误', en: 'Internal error' },
  DEPENDENCY_UNAVAILABLE: { status: 503, 'zh-CN': '服务暂时不可用', en: 'Service temporarily unavailable' },

  UNIQUE_VIOLATION: { status: 409, code: 'CONFLICT', 'zh-CN': '数据已存在', en: 'A record with the same unique value already exists' },
  RANGE_REVERSED: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '开始时间须早于结束时间', en: '`from` must be before `to`' },

  // Field errors of request validation (the edge's schemas), one per kind of rule.
  REQUIRED: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '必填', en: 'Required' },
  INVALID_TYPE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '类型错误，应为 {expected}', en: 'Expected {expected}' },
  TOO_SHORT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '至少 {minimum} 个字符', en: 'At least {minimum} characters' },
  TOO_LONG: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '最多 {maximum} 个字符', en: 'At most {maximum} characters' },
  TOO_SMALL: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '不能小于 {minimum}', en: 'Must be at least {minimum}' },
  TOO_SMALL_EXCLUSIVE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '须大于 {minimum}', en: 'Must be more than {minimum}' },
  TOO_BIG: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '不能大于 {maximum}', en: 'Must be at most {maximum}' },
  TOO_BIG_EXCLUSIVE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '须小于 {maximum}', en: 'Must be less than {maximum}' },
  TOO_FEW: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '至少 {minimum} 项', en: 'At least {minimum} items' },
  TOO_MANY: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '最多 {maximum} 项', en: 'At most {maximum} items' },
  INVALID_FORMAT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '格式无效（{format}）', en: 'Invalid format ({format})' },
  INVALID_OPTION: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '须为以下之一：{options}', en: 'Must be one of: {options}' },
  NOT_MULTIPLE_OF: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '须为 {divisor} 的整数倍', en: 'Must be a multiple of {divisor}' },
  UNKNOWN_FIELDS: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '不支持的字段：{keys}', en: 'Unknown field(s): {keys}' },
  INVALID_VALUE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '取值无效', en: 'Invalid value' },
  // A rule whose text comes from elsewhere in English (a settings document's domain validation):
  // not yet a code of its own, so the rule travels as a param.
  RULE_BROKEN: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '不符合规则：{rule}', en: '{rule}' },
} as const;

export const COMMON_ERRORS = defineErrors<typeof common, typeof common>(common);
export type CommonReason = keyof typeof COMMON_ERRORS;

export const commonError = errorsOf(COMMON_ERRORS);
