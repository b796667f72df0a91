/**
 * The filters above a list (beside DataTable, same query string through useListParams): a search
 * box that applies on Enter or its button, and labelled antd Selects, one per filter. Changing any
 * of them starts the list again at page 1 (useListParams.set). A filter that does not apply (a
 * single project, a role that owns nothing) is left out by passing `false`.
 */
import { Input, Select, Space } from 'antd';
import type { ListParams } from './useListParams.js';

export interface FilterChoice<K extends string> {
  /** The filter's name in the address. */
  name: K;
  label: string;
  options: { value: string; label: string }[];
  /** The value shown (default: the address's); a page may normalise an unknown one. */
  value?: string;
  /** Width of the select in px (default 140). */
  width?: number;
  /** Type to narrow the options (long lists: projects, stages). */
  search?: boolean;
  /** The select's element id (default `<bar id>-<name>`; its label points at it). */
  id?: string;
  testId?: string;
}

export interface FilterSearch<K extends string> {
  name: K;
  label: string;
  testId?: string;
  maxLength?: number;
  width?: number;
}

export function FilterBar<K extends string, S extends string>({
  id,
  params,
  search,
  filters,
  testId,
}: {
  /** Prefixes the selects' ids. */
  id: string;
  params: Pick<ListParams<K, S>, 'get' | 'set'>;
  search?: FilterSearch<K>;
  /** The filters in order; `false`/null leaves one out. */
  filters: readonly (FilterChoice<K> | false | null | undefined)[];
  testId?: string;
}) {
  const q = search ? params.get(search.name) : '';
  return (
    <Space wrap size={[12, 12]} style={{ marginBottom: 16 }} role="search" data-testid={testId}>
      {search ? (
        <Input.Search
          name={search.name}
          allowClear
          aria-label={search.label}
          placeholder={search.label}
          maxLength={search.maxLength ?? 40}
          style={{ width: search.width ?? 300, maxWidth: '100%' }}
          enterButton
          data-testid={search.testId}
          // Remounted when the address changes (back, a link): the box shows the list's own query.
          key={q}
          defaultValue={q}
          onSearch={(v) => params.set({ [search.name]: v.trim() } as Partial<Record<K, string>>)}
        />
      ) : null}
      {filters.map((f) => {
        if (!f) return null;
        const selectId = f.id ?? `${id}-${f.name}`;
        return (
          <Space size={6} key={f.name}>
            <label htmlFor={selectId}>{f.label}</label>
            <Select
              id={selectId}
              data-testid={f.testId}
              value={f.value ?? params.get(f.name)}
              style={{ width: f.width ?? 140 }}
              showSearch={f.search ? { optionFilterProp: 'label' } : undefined}
              onChange={(v: string) => params.set({ [f.name]: v } as Partial<Record<K, string>>)}
              options={f.options}
            />
          </Space>
        );
      })}
    </Space>
  );
}
