/**
 * The console's catalogues (console/src/shared/i18n.ts, one namespace per feature): every message
 * parses as ICU MessageFormat in both languages, both languages have the same keys and the same
 * placeholders, and plurals follow each language's rules.
 */
import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { translate } from '../../console/src/i18n.js';
import { LANGS, i18n, registeredNamespaces, translateKey } from '../../console/src/shared/i18n.js';

function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1]!))].sort();
}

describe('console catalogues', () => {
  it('registers the shipped catalogues', () => {
    expect(registeredNamespaces()).toEqual(expect.arrayContaining(['common', 'leads', 'sales', 'problems', 'org', 'admin', 'auth', 'reports']));
  });

  it('has every key in both languages, with the same placeholders, and every message parses as ICU', () => {
    const problems: string[] = [];
    for (const ns of registeredNamespaces()) {
      const zh = i18n.getResourceBundle('zh-CN', ns) as Record<string, string>;
      const en = i18n.getResourceBundle('en', ns) as Record<string, string>;
      expect(Object.keys(en).sort(), ns).toEqual(Object.keys(zh).sort());
      for (const key of Object.keys(zh)) {
        for (const lang of LANGS) {
          const message = (lang === 'en' ? en : zh)[key]!;
          try {
            new IntlMessageFormat(message, lang, undefined, { ignoreTag: true });
          } catch (e) {
            problems.push(`${ns}:${key} (${lang}) does not parse: ${(e as Error).message}`);
          }
        }
        if (placeholders(zh[key]!).join() !== placeholders(en[key]!).join()) problems.push(`${ns}:${key} placeholders differ: ${placeholders(zh[key]!)} vs ${placeholders(en[key]!)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('fills values and keeps a placeholder whose value is missing', () => {
    expect(translate('en', 'header.timeZone', { tz: 'Asia/Shanghai' })).toBe('Time zone Asia/Shanghai');
    expect(translate('zh-CN', 'header.timeZone', { tz: 'Asia/Shanghai' })).toBe('时区 Asia/Shanghai');
    expect(translate('en', 'header.timeZone')).toBe('Time zone {tz}');
  });

  it('formats ICU plurals by each language’s rules', () => {
    i18n.addResourceBundle('en', 'plural-test', { items: '{count, plural, one {# case} other {# cases}}' });
    i18n.addResourceBundle('zh-CN', 'plural-test', { items: '{count, plural, other {# 个工单}}' });
    const t = (lang: 'en' | 'zh-CN', count: number) => i18n.t('items', { lng: lang, ns: 'plural-test', count });
    expect([t('en', 1), t('en', 3), t('zh-CN', 1), t('zh-CN', 3)]).toEqual(['1 case', '3 cases', '1 个工单', '3 个工单']);
    expect(translateKey('en', 'nav.dashboard')).toBe('Dashboard');
  });
});
