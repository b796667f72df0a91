import { describe, expect, it } from 'vitest';
import { ERRORS, ERROR_REASONS, codeOf } from '../../api/http/error-catalogue.js';
import { problemBody } from '../../api/http/errors.js';
import { caseError } from '../../app/cases/errors.js';
import { DomainError, LANGS, placeholdersOf } from '../../app/errors.js';
import { fieldErrorText, problemText, type Problem } from '../../console/src/problems.js';

/** The console translates the API's codes and params itself (console/src/problems.ts), in both languages. */
describe('console translation of problems', () => {
  const body = (err: DomainError, lang: 'zh-CN' | 'en' = 'zh-CN') => problemBody(err, { lang }) as Problem;

  it('renders a refusal with its params in Chinese and in English, whatever language the server wrote', () => {
    const problem = body(caseError('CASE_TIER_ONLY', { tier: 'COMPANY' }), 'en');
    expect(problemText('zh-CN', problem)).toEqual({ title: '超出您的管辖范围', detail: '仅该工单当前层级（COMPANY）的处理人可操作' });
    expect(problemText('en', problem)).toEqual({ title: 'Outside your scope', detail: 'Only the COMPANY office of this case may do this' });
  });

  it('renders field errors from their codes', () => {
    const [field] = body(caseError('UNKNOWN_CATEGORY', { category: 'repair.x' }, { field: 'body.category' })).errors!;
    expect(fieldErrorText('zh-CN', field!)).toBe('未知的工单分类 repair.x');
    expect(fieldErrorText('en', field!)).toBe('Unknown category repair.x (GET /api/categories)');
  });

  it('agrees with the server for every code of every catalogue, in both languages', () => {
    for (const reason of ERROR_REASONS) {
      const spec = ERRORS[reason];
      const params = Object.fromEntries(placeholdersOf(spec.en).map((p, i) => [p, `v${i}`]));
      const err = new DomainError(reason, spec, params);
      for (const lang of LANGS) {
        const server = body(err, lang);
        expect(problemText(lang, body(err, lang === 'en' ? 'zh-CN' : 'en')), `${reason} ${lang}`).toEqual({ title: server.title, detail: server.detail });
        expect(server.code).toBe(codeOf(reason));
      }
    }
  });

  it('keeps the server’s text for a code it does not know (a newer server)', () => {
    const problem: Problem = { title: 'Brand new', status: 409, code: 'BRAND_NEW', reason: 'BRAND_NEW_REASON', detail: 'Something new', errors: [{ path: 'body.x', code: 'NEW', message: 'new rule' }] };
    expect(problemText('zh-CN', problem)).toEqual({ title: 'Brand new', detail: 'Something new' });
    expect(fieldErrorText('zh-CN', problem.errors![0]!)).toBe('new rule');
  });
});
