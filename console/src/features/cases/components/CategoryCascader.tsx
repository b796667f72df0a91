/**
 * The category of a case as one antd Cascader over the chosen type's subtree only: the type
 * (complaint, repair, …) is the tree's root, so a complaint can never be filed under 咨询. Searchable
 * (type "渗漏"); the value is the leaf code.
 */
import { Cascader } from 'antd';
import { categoryPath, type Category } from '../../../../../domain/cases/categories.js';
import { useI18n } from '../../../i18n.js';

interface Option {
  value: string;
  label: string;
  children?: Option[];
}

function optionsUnder(categories: readonly Category[], parent: string, lang: string): Option[] {
  return categories
    .filter((c) => c.parent === parent)
    .map((c) => {
      const children = optionsUnder(categories, c.code, lang);
      return { value: c.code, label: lang === 'zh-CN' ? c.name.zh : c.name.en, ...(children.length > 0 ? { children } : {}) };
    });
}

/** The chosen type's path to a code (without the root), or [] when the code is not under it. */
export function pathUnder(categories: readonly Category[], root: string, code: string | undefined): string[] {
  if (!code) return [];
  const path = categoryPath({ code, categories }).map((c) => c.code);
  return path[0] === root ? path.slice(1) : [];
}

export function CategoryCascader({
  id,
  root,
  value,
  onChange,
  onBlur,
  categories,
  invalid,
}: {
  id?: string;
  root: string;
  value: string | undefined;
  onChange: (code: string | undefined) => void;
  onBlur?: () => void;
  categories: readonly Category[];
  invalid?: boolean;
}) {
  const { t, lang } = useI18n();
  const options = optionsUnder(categories, root, lang);
  return (
    <Cascader
      id={id}
      data-testid="category-picker"
      options={options}
      value={pathUnder(categories, root, value)}
      onChange={(path) => onChange(path && path.length > 0 ? String(path[path.length - 1]) : undefined)}
      onBlur={onBlur}
      placeholder={t('intake.categoryPlaceholder')}
      showSearch={{ filter: (input, path) => path.some((o) => String(o.label).toLowerCase().includes(input.trim().toLowerCase())) }}
      expandTrigger="hover"
      status={invalid ? 'error' : undefined}
      style={{ width: '100%' }}
      popupClassName="category-cascader-popup"
      aria-label={t('newCase.category')}
    />
  );
}
