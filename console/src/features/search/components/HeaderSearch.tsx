/**
 * The one search box of the header: as the user types (settled for 200 ms), the API's answer shows
 * grouped by kind — customers, cases, leads, sales, units — with the text that matched, the masked
 * phone or the customer, the status and the project. ↑/↓ move, Enter opens the highlighted record
 * (the first by default), Esc closes; `/` or Ctrl+K (⌘K) focuses the box from anywhere. On a phone
 * the box folds into an icon that opens a full-width search.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { SearchOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Drawer, Input, Spin, Typography } from 'antd';
import type { BaseSelectRef } from '@rc-component/select';
import { formatDate } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { StatusTag } from '../../../shared/StatusTag.js';
import { navigate } from '../../../router.js';
import { SEARCH_GROUPS, hitPath, useDebounced, useSearch, type SearchHit } from '../api.js';
import '../i18n.js';

/** `text` with the part that equals what was typed marked, when it appears as typed. */
function Highlight({ text, typed }: { text: string; typed: string }) {
  const at = typed ? text.toLowerCase().indexOf(typed.toLowerCase()) : -1;
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark className="search-mark">{text.slice(at, at + typed.length)}</mark>
      {text.slice(at + typed.length)}
    </>
  );
}

function HitRow({ hit, typed }: { hit: SearchHit; typed: string }) {
  const { t, lang } = useI18n();
  const secondary = hit.kind === 'unit' && hit.secondary ? t('search.owner', { name: hit.secondary }) : hit.secondary;
  return (
    <div className="search-hit">
      <div className="search-hit-main">
        <span className={hit.kind === 'customer' ? 'search-hit-label' : 'search-hit-label mono'} data-testid="search-hit-label">
          <Highlight text={hit.label} typed={typed} />
        </span>
        {secondary ? (
          <span className={hit.kind === 'customer' ? 'search-hit-secondary mono' : 'search-hit-secondary'} data-testid="search-hit-secondary">
            <Highlight text={secondary} typed={typed} />
          </span>
        ) : null}
      </div>
      <div className="search-hit-meta">
        {hit.kind !== 'customer' && hit.status ? <StatusTag kind={hit.kind} status={hit.status} testId="search-hit-status" /> : null}
        <span className="search-hit-matched">{t(`search.matched.${hit.matched}`)}</span>
        {hit.projectName ? <span>{hit.projectName}</span> : null}
        {hit.at ? <span>{formatDate(hit.at, lang)}</span> : null}
      </div>
    </div>
  );
}

function useShortcut(focus: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = !!target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if ((e.key === 'k' || e.key === 'K') && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        focus();
      } else if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focus]);
}

function SearchBox({ onOpened, selectRef, wide }: { onOpened?: () => void; selectRef?: RefObject<BaseSelectRef | null>; wide?: boolean }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const settled = useDebounced(text, 200);
  const typed = settled.trim();
  const search = useSearch(settled);
  const ownRef = useRef<BaseSelectRef>(null);
  const ref = selectRef ?? ownRef;
  const [focused, setFocused] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const focus = useMemo(() => () => ref.current?.focus(), []);
  useShortcut(focus);

  const answer = typed && search.data && !search.isPlaceholderData ? search.data : typed ? search.data : undefined;
  const byValue = useMemo(() => new Map<string, SearchHit>(), [answer]); // eslint-disable-line react-hooks/exhaustive-deps
  const options = useMemo(() => {
    if (!answer || !typed) return [];
    return SEARCH_GROUPS.flatMap(({ kind, key }) => {
      const group = answer[key];
      if (!group || group.items.length === 0) return [];
      return [
        {
          label: (
            <div className="search-group" data-testid={`search-group-${kind}`}>
              <span>{t(`search.group.${kind}`)}</span>
              {group.more ? <span className="search-group-more">{t('search.more', { total: group.total, shown: group.items.length })}</span> : null}
            </div>
          ),
          title: t(`search.group.${kind}`),
          options: group.items.map((hit) => {
            const value = `${hit.kind}:${hit.id}`;
            byValue.set(value, hit);
            return { value, label: <HitRow hit={hit} typed={text.trim()} />, 'data-testid': 'search-hit', 'data-kind': hit.kind, 'data-id': hit.id };
          }),
        },
      ];
    });
  }, [answer, typed, text, t, byValue]);

  const pending = text.trim() !== typed || search.isFetching;
  // The list of results is a listbox: its states (a hint, searching, nothing found) are not options,
  // so they show in a live region under the box instead, and the list opens only with results.
  let state: ReactNode = null;
  if (!text.trim()) state = <span data-testid="search-hint">{t('search.hint')}</span>;
  else if (search.isError) state = t('search.failed');
  else if (options.length === 0 && (pending || !answer))
    state = (
      <>
        <Spin size="small" /> {t('search.searching')}
      </>
    );
  else if (options.length === 0) state = <span data-testid="search-empty">{t('search.empty', { q: typed })}</span>;

  const open = (value: string) => {
    const hit = byValue.get(value);
    if (!hit) return;
    setText('');
    setFocused(false);
    ref.current?.blur();
    onOpened?.();
    navigate(hitPath(hit));
  };

  return (
    <div className={wide ? 'header-search header-search-wide' : 'header-search'}>
      <AutoComplete
        ref={ref}
        style={{ width: '100%' }}
        data-testid="search-box"
        value={text}
        onChange={(v: string) => {
          setText(v);
          setDismissed(false);
        }}
        onSelect={(v: string) => open(v)}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onInputKeyDown={(e) => {
          if (e.key === 'Escape') setDismissed(true);
        }}
        open={focused && !dismissed && options.length > 0}
        options={options}
        filterOption={false}
        defaultActiveFirstOption
        popupMatchSelectWidth={wide ? true : 520}
        // Few results (5 of each kind): a plain list keeps every option in the accessibility tree.
        virtual={false}
        classNames={{ popup: { root: 'header-search-popup' } }}
      >
        <Input
          prefix={<SearchOutlined aria-hidden="true" />}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          data-testid="search-input"
          maxLength={60}
          allowClear
        />
      </AutoComplete>
      {/* Present while the box has focus (before anything is typed), so its changes are announced. */}
      {focused ? (
        <div className={!dismissed && state ? 'search-state' : 'visually-hidden'} role="status" aria-live="polite">
          {!dismissed ? state : null}
        </div>
      ) : null}
    </div>
  );
}

/** The header's search: a box on wide screens, an icon that opens it full width on a phone. */
export function HeaderSearch({ phone }: { phone: boolean }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const boxRef = useRef<BaseSelectRef>(null);
  if (!phone) return <SearchBox />;
  return (
    <>
      <Button type="text" icon={<SearchOutlined />} aria-label={t('search.open')} data-testid="search-open" onClick={() => setOpen(true)} />
      <Drawer
        placement="top"
        open={open}
        onClose={() => setOpen(false)}
        size="auto"
        title={<Typography.Text strong>{t('search.label')}</Typography.Text>}
        closable={{ 'aria-label': t('search.close') }}
        destroyOnHidden
        afterOpenChange={(visible) => {
          if (visible) boxRef.current?.focus();
        }}
        styles={{ body: { padding: 12 } }}
      >
        {open ? <SearchBox wide selectRef={boxRef} onOpened={() => setOpen(false)} /> : null}
      </Drawer>
    </>
  );
}
