/**
 * The console's list table: Ant Design's Table with what every list needs, once —
 * - sorting by the sorts the API offers (a column names the sort value for each direction),
 * - the page and page size from the address (useListParams), the total in the user's language,
 * - a column chooser (kept per list on this device; columns marked `always` cannot be hidden),
 * - virtual scrolling when a page is long (over 50 rows), so 200 rows scroll smoothly on a phone,
 * - rows that open their record (a real link in the first column, the whole row clickable).
 * Filters are the page's own (above the table); they live in the same query string.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Button, Checkbox, Empty, Flex, Popover, Table, Typography, type TableColumnType, type TableProps } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n.js';
import { navigate } from '../../router.js';
import { PAGE_SIZES, type ListParams } from './useListParams.js';
import './i18n.js';

export interface DataColumn<T> extends Omit<TableColumnType<T>, 'key' | 'sorter' | 'sortOrder' | 'hidden'> {
  key: string;
  title: ReactNode;
  /** Shown whatever the chooser says (the record's number, its state). */
  always?: boolean;
  /** Hidden until the user chooses it. */
  optional?: boolean;
  /** The API's sort value for each direction this column sorts by. */
  sort?: { ascend?: string; descend?: string };
  /** The column's width; used to lay out virtual scrolling (default 140 px). */
  width?: number;
}

const VIRTUAL_FROM = 50;
const STORAGE = 'table-columns:';

function storedHidden(id: string, columns: readonly DataColumn<unknown>[]): Set<string> {
  try {
    const raw = window.localStorage.getItem(STORAGE + id);
    if (raw) return new Set((JSON.parse(raw) as string[]).filter((k) => columns.some((c) => c.key === k && !c.always)));
  } catch {
    // Private windows may refuse storage: fall back to the defaults.
  }
  return new Set(columns.filter((c) => c.optional).map((c) => c.key));
}

export interface DataTableProps<T, S extends string> {
  /** Names the list for the column chooser's memory and for tests (`data-testid`). */
  id: string;
  testId?: string;
  columns: DataColumn<T>[];
  rows: readonly T[] | undefined;
  rowKey: keyof T & string;
  total: number;
  loading: boolean;
  params: Pick<ListParams<string, S>, 'sort' | 'page' | 'pageSize' | 'set' | 'setPage'>;
  /** The default sort, applied when the user clears a column's sort. */
  defaultSort: S;
  /** Where a row leads (the whole row opens it). */
  rowHref?: (row: T) => string;
  /** What a click on a row does when it opens no address (a drawer with the record). */
  onRowClick?: (row: T) => void;
  emptyText?: ReactNode;
  /** A row's own class and attributes (an overdue row in red, `data-*` for tests). */
  rowProps?: (row: T) => { className?: string } & Record<`data-${string}`, string | undefined>;
  /** Extra attributes for the table element's wrapper (tests read `data-query`). */
  wrapperProps?: Record<`data-${string}`, string>;
}

export function DataTable<T extends object, S extends string>(p: DataTableProps<T, S>) {
  const { t } = useI18n();
  const [hidden, setHidden] = useState(() => storedHidden(p.id, p.columns as DataColumn<unknown>[]));
  const choose = (next: Set<string>) => {
    setHidden(next);
    try {
      window.localStorage.setItem(STORAGE + p.id, JSON.stringify([...next]));
    } catch {
      // Not kept; the choice still applies to this page.
    }
  };

  const virtual = p.params.pageSize > VIRTUAL_FROM;
  const columns: TableProps<T>['columns'] = useMemo(
    () =>
      p.columns.map(({ always: _a, optional: _o, sort, ...c }) => {
        const order = sort?.ascend === p.params.sort ? 'ascend' : sort?.descend === p.params.sort ? 'descend' : null;
        const directions = [sort?.ascend ? 'ascend' : null, sort?.descend ? 'descend' : null].filter(Boolean) as ('ascend' | 'descend')[];
        return {
          ...c,
          width: c.width ?? (virtual ? 140 : undefined),
          hidden: hidden.has(c.key),
          ...(sort ? { sorter: true, sortOrder: order, sortDirections: directions } : {}),
        };
      }),
    [p.columns, p.params.sort, hidden, virtual],
  );
  const shownWidth = p.columns.filter((c) => !hidden.has(c.key)).reduce((sum, c) => sum + (c.width ?? 140), 0);

  const chooser = (
    <Flex vertical gap={6} style={{ maxWidth: 260 }} data-testid={`${p.id}-columns`}>
      <Typography.Text type="secondary">{t('table.columnsHint')}</Typography.Text>
      {p.columns.map((c) => (
        <Checkbox
          key={c.key}
          name={`column-${c.key}`}
          checked={!hidden.has(c.key)}
          disabled={c.always}
          onChange={(e) => {
            const next = new Set(hidden);
            if (e.target.checked) next.delete(c.key);
            else next.add(c.key);
            choose(next);
          }}
        >
          {c.title}
        </Checkbox>
      ))}
      <Button size="small" onClick={() => choose(new Set(p.columns.filter((c) => c.optional).map((c) => c.key)))}>
        {t('table.columnsReset')}
      </Button>
    </Flex>
  );

  return (
    <div className="data-table" data-testid={p.testId ?? `${p.id}-table`} {...p.wrapperProps}>
      <Flex justify="flex-end" style={{ marginBottom: 8 }}>
        <Popover content={chooser} trigger="click" placement="bottomRight">
          <Button icon={<SettingOutlined />} data-testid={`${p.id}-columns-button`}>
            {t('table.columns')}
          </Button>
        </Popover>
      </Flex>
      <Table<T>
        rowKey={p.rowKey}
        size="middle"
        columns={columns}
        dataSource={p.rows as T[] | undefined}
        loading={p.loading}
        virtual={virtual}
        scroll={virtual ? { x: shownWidth, y: 640 } : { x: 'max-content' }}
        rowClassName={p.rowProps ? (row) => p.rowProps!(row).className ?? '' : undefined}
        onRow={
          p.rowHref || p.rowProps || p.onRowClick
            ? (row) => {
                const { className: _c, ...attrs } = p.rowProps?.(row) ?? {};
                const open = p.rowHref ? () => navigate(p.rowHref!(row)) : p.onRowClick ? () => p.onRowClick!(row) : null;
                return { ...attrs, ...(open ? { onClick: open, style: { cursor: 'pointer' } } : {}) } as never;
              }
            : undefined
        }
        onChange={(pagination, _filters, sorter, extra) => {
          if (extra.action === 'sort') {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const column = p.columns.find((c) => c.key === s?.columnKey);
            const next = s?.order && column?.sort?.[s.order];
            p.params.set({ sort: (next ?? p.defaultSort) as S });
            return;
          }
          p.params.setPage(pagination.current ?? 1, pagination.pageSize ?? p.params.pageSize);
        }}
        pagination={{
          current: p.params.page,
          pageSize: p.params.pageSize,
          total: p.total,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES.map(String),
          showTotal: (n, [from, to]) => (n > p.params.pageSize ? t('table.range', { from, to, n }) : t('table.total', { n })),
        }}
        // In antd's Empty: a bare text would take the table's disabled grey (#bfbfbf, 1.8:1 contrast).
        locale={p.emptyText ? { emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={p.emptyText} /> } : undefined}
      />
    </div>
  );
}
