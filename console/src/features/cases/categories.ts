/** A category's name in the user's language (cases, sale defects and the SLA report show them). */
import { DEFAULT_CATEGORIES, categoryPath, type Category } from '../../../../domain/cases/categories.js';
import type { Lang } from '../../i18n.js';

/** The name of a category in the current language (its whole path unless `full` is false), or its code when unknown. */
export function categoryName(code: string, lang: Lang, categories: readonly Category[] = DEFAULT_CATEGORIES, full = true): string {
  const path = categoryPath({ code, categories });
  if (path.length === 0) return code;
  const names = path.map((c) => (lang === 'zh-CN' ? c.name.zh : c.name.en));
  return full ? names.join(lang === 'zh-CN' ? ' / ' : ' › ') : names[names.length - 1]!;
}
