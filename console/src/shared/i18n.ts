/**
 * The console's languages on i18next (with ICU message syntax: `{name}`, `{n, plural, other {# 项}}`),
 * so plurals, selects and number formats follow each language's CLDR rules instead of string
 * splicing. Every feature registers its own catalogue (a namespace, zh-CN and English) with
 * `registerCatalogue`; the server's error codes are the `problems` catalogue. zh-CN is the default
 * and the fallback; the choice is kept in localStorage (`lang`) and mirrored on <html lang>.
 */
import i18next from 'i18next';
import ICU from 'i18next-icu';
import { initReactI18next } from 'react-i18next';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type MessageVars = Record<string, string | number>;

/** One feature's messages: the Chinese dictionary defines the keys, the English one must match. */
export interface Catalogue<K extends string = string> {
  'zh-CN': Record<K, string>;
  en: Record<K, string>;
}

const STORAGE_KEY = 'lang';
const inBrowser = typeof window !== 'undefined';

export function parseLang(value: string | null | undefined): Lang | null {
  const v = value?.toLowerCase();
  if (v === 'en' || v?.startsWith('en-')) return 'en';
  if (v === 'zh-cn' || v === 'zh' || v?.startsWith('zh-')) return 'zh-CN';
  return null;
}

function readStoredLang(): Lang {
  try {
    return parseLang(window.localStorage.getItem(STORAGE_KEY)) ?? 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** A message whose values are missing or whose syntax ICU refuses still shows, `{name}` filled where it can. */
function fallbackFormat(_err: Error, _key: string, res: string, options: object): string {
  const vars = options as Record<string, unknown>;
  return res.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars && vars[name] !== undefined ? String(vars[name]) : whole));
}

/** Namespaces in lookup order: a key is looked up in each until found (`t` of useI18n). */
const namespaces: string[] = [];

export const i18n = i18next.createInstance();
void i18n
  .use(new ICU({ parseErrorHandler: fallbackFormat }))
  .use(initReactI18next)
  .init({
    lng: inBrowser ? readStoredLang() : 'zh-CN',
    fallbackLng: 'zh-CN',
    supportedLngs: [...LANGS],
    resources: {},
    ns: [],
    defaultNS: false,
    // Keys are flat and dotted ('case.status.open'); namespaces are chosen explicitly.
    keySeparator: false,
    nsSeparator: false,
    returnNull: false,
    interpolation: { escapeValue: false },
    react: { useSuspense: false, bindI18nStore: 'added' },
    initAsync: false,
  });

export function registerCatalogue(ns: string, catalogue: Catalogue): void {
  for (const lang of LANGS) i18n.addResourceBundle(lang, ns, catalogue[lang], true, true);
  if (!namespaces.includes(ns)) namespaces.push(ns);
}

export function registeredNamespaces(): readonly string[] {
  return namespaces;
}

export function getLang(): Lang {
  return parseLang(i18n.language) ?? 'zh-CN';
}

export function setLang(lang: Lang): void {
  if (lang === getLang()) return;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be disabled; the choice then lasts for this page only.
  }
  void i18n.changeLanguage(lang);
}

/** Formats one key in a language, looking through every registered catalogue. */
export function translateKey(lang: Lang, key: string, vars?: MessageVars): string {
  return i18n.t(key, { lng: lang, ns: namespaces, ...vars }) as string;
}

if (inBrowser) {
  document.documentElement.lang = getLang();
  i18n.on('languageChanged', (lng) => {
    document.documentElement.lang = parseLang(lng) ?? 'zh-CN';
  });
  // Another tab switched language: follow it.
  window.addEventListener('storage', (e) => {
    if (e.key !== STORAGE_KEY) return;
    void i18n.changeLanguage(parseLang(e.newValue) ?? 'zh-CN');
  });
}
