/** Shared building blocks: data loading, error display, tables, pagination, form fields. */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useI18n, type MessageKey } from './i18n.js';
import { Icon } from './icons.js';

// ---------------------------------------------------------------------------------------------
// Loading

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` whenever `deps` change (aborting the previous request, so a slow answer for an old
 * page never overwrites a newer one) and on `reload()`.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload };
}

// ---------------------------------------------------------------------------------------------
// Errors and notices

// The problem alert lives in shared/ (on antd's Alert); pages still import it from here.
export { ProblemAlert, type ProblemAlertProps } from './shared/ProblemAlert.js';

export function SuccessNotice({ message, onClose }: { message: string | null; onClose: () => void }) {
  const { t } = useI18n();
  useEffect(() => {
    if (!message) return;
    const timer = window.setTimeout(onClose, 5000);
    return () => window.clearTimeout(timer);
  }, [message, onClose]);
  if (!message) return null;
  return (
    <div className="alert alert-success" role="status">
      <div className="alert-body">{message}</div>
      <button type="button" className="btn-link" onClick={onClose} aria-label={t('action.close')}>
        ×
      </button>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Tables

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  className?: string;
}

export function DataTable<T>({
  columns,
  rows,
  rowKey,
  loading,
  onRowClick,
  selectedKey,
  emptyKey = 'table.empty',
  testId,
  rowClassName,
  rowAttrs,
}: {
  columns: readonly Column<T>[];
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  loading: boolean;
  onRowClick?: (row: T) => void;
  selectedKey?: string | null;
  emptyKey?: MessageKey;
  testId?: string;
  /** Extra classes of a row (e.g. `row-overdue`). */
  rowClassName?: (row: T) => string;
  /** data-* attributes of a row, for tests and styling. */
  rowAttrs?: (row: T) => Record<`data-${string}`, string | undefined>;
}) {
  const { t } = useI18n();
  const list = rows ?? [];
  return (
    <div className={`table-wrap${loading ? ' is-loading' : ''}`}>
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={c.className} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {list.map((row) => {
            const key = rowKey(row);
            const clickable = Boolean(onRowClick);
            return (
              <tr
                key={key}
                {...rowAttrs?.(row)}
                className={`${clickable ? 'clickable' : ''}${selectedKey === key ? ' selected' : ''}${rowClassName ? ` ${rowClassName(row)}` : ''}`}
                tabIndex={clickable ? 0 : undefined}
                onClick={clickable ? () => onRowClick?.(row) : undefined}
                onKeyDown={
                  clickable
                    ? (e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          onRowClick?.(row);
                        }
                      }
                    : undefined
                }
              >
                {columns.map((c) => (
                  <td key={c.key} className={c.className}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            );
          })}
          {list.length === 0 ? (
            <tr className="empty-row">
              <td colSpan={columns.length}>{loading ? t('table.loading') : t(emptyKey)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

const PAGE_SIZES = [10, 20, 50, 100] as const;

export function Pagination({
  page,
  pageSize,
  total,
  onPage,
  onPageSize,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const sizeId = useId();
  return (
    <nav className="pagination" aria-label={t('pagination.label')}>
      <span className="pagination-total">{t('pagination.total', { total })}</span>
      <div className="pagination-controls">
        <label htmlFor={sizeId} className="pagination-size">
          {t('pagination.pageSize')}
        </label>
        <select id={sizeId} value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => onPage(page - 1)} data-testid="page-prev">
          {t('pagination.prev')}
        </button>
        <span className="pagination-page">{t('pagination.page', { page, pages })}</span>
        <button type="button" className="btn btn-small" disabled={page >= pages} onClick={() => onPage(page + 1)} data-testid="page-next">
          {t('pagination.next')}
        </button>
      </div>
    </nav>
  );
}

/** Page and page size state; changing the size goes back to page 1. */
export function usePaging(initialSize = 20) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSizeRaw] = useState(initialSize);
  const setPageSize = useCallback((size: number) => {
    setPageSizeRaw(size);
    setPage(1);
  }, []);
  return { page, pageSize, setPage, setPageSize };
}

// ---------------------------------------------------------------------------------------------
// Bits

export type BadgeTone = 'green' | 'amber' | 'blue' | 'grey' | 'red' | 'purple';

export function Badge({ tone, children, testId }: { tone: BadgeTone; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function Field({
  label,
  error,
  hint,
  required,
  children,
  htmlFor,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  htmlFor: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={htmlFor}>
        {label}
        {required ? <span className="required" aria-hidden="true"> *</span> : null}
      </label>
      {children}
      {error ? (
        <div className="field-error" role="alert" data-field-error={htmlFor}>
          {error}
        </div>
      ) : hint ? (
        <div className="field-hint">{hint}</div>
      ) : null}
    </div>
  );
}

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card${className ? ` ${className}` : ''}`}>
      {title || actions ? (
        <header className="card-header">
          {title ? <h2 className="card-title">{title}</h2> : <span />}
          {actions ? <div className="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export function IconButton({ icon, label, onClick, testId }: { icon: Parameters<typeof Icon>[0]['name']; label: string; onClick: () => void; testId?: string }) {
  return (
    <button type="button" className="btn btn-ghost btn-icon" onClick={onClick} title={label} aria-label={label} data-testid={testId}>
      <Icon name={icon} size={16} />
    </button>
  );
}

// ---------------------------------------------------------------------------------------------
// Choices

/**
 * One choice among a few, shown as a row of segments (the report pages' "group by"): a radio group
 * for assistive technology, each button carrying its value in `data-group` for tests.
 */
export function SegmentedRadios<V extends string>({
  label,
  testId,
  options,
  value,
  onChange,
}: {
  label: string;
  testId?: string;
  options: ReadonlyArray<{ value: V; label: string }>;
  value: V;
  onChange: (v: V) => void;
}) {
  return (
    <div className="segmented segmented-inline" role="radiogroup" aria-label={label} data-testid={testId}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={value === o.value}
          className={`segment${value === o.value ? ' active' : ''}`}
          data-group={o.value}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Downloads

/** Saves a fetched file (CSV export) under `filename` through a temporary object URL. */
export async function downloadBlob(blob: Promise<Blob>, filename: string): Promise<void> {
  const url = URL.createObjectURL(await blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
