/** Building blocks of the case screens: status and tier badges, countdowns, the category picker. */
import { useEffect, useId, useState } from 'react';
import { DEFAULT_CATEGORIES, categoryPath, type Category } from '../../domain/cases/categories.js';
import type { CaseStatus, Severity, TargetName, Tier } from '../../domain/cases/types.js';
import { casesApi, type CaseSla, type EscalationStatus, type SlaTarget } from './cases-api.js';
import { useI18n, type Lang } from './i18n.js';
import { formatCountdown, nextTarget, targetView, useNowMs, type TargetState } from './sla.js';
import { Badge, type BadgeTone } from './ui.js';

const STATUS_TONE: Record<CaseStatus, BadgeTone> = {
  open: 'blue',
  contacted: 'purple',
  waiting_on_customer: 'grey',
  resolved: 'green',
  closed: 'grey',
};

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${STATUS_TONE[status] ?? 'grey'}`} data-testid="case-status" data-status={status}>
      {t(`caseStatus.${status}` as const)}
    </span>
  );
}

const TIER_TONE: Record<Tier, BadgeTone> = { PROJECT: 'blue', COMPANY: 'amber', GROUP: 'red' };

export function TierBadge({ tier }: { tier: Tier }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-${TIER_TONE[tier] ?? 'grey'}`} data-testid="case-tier" data-tier={tier}>
      {t(`tier.${tier}` as const)}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useI18n();
  return <Badge tone={severity === 'major' ? 'red' : 'grey'}>{t(`severity.${severity}` as const)}</Badge>;
}

const ESC_TONE: Record<EscalationStatus, BadgeTone> = { pending: 'amber', approved: 'green', rejected: 'grey', auto_escalated: 'red' };

export function EscalationStatusBadge({ status }: { status: EscalationStatus }) {
  const { t } = useI18n();
  return <Badge tone={ESC_TONE[status] ?? 'grey'}>{t(`escStatus.${status}` as const)}</Badge>;
}

/** The name of a category in the current language, or its code when unknown. */
export function categoryName(code: string, lang: Lang, categories: readonly Category[] = DEFAULT_CATEGORIES, full = true): string {
  const path = categoryPath({ code, categories });
  if (path.length === 0) return code;
  const names = path.map((c) => (lang === 'zh-CN' ? c.name.zh : c.name.en));
  return full ? names.join(lang === 'zh-CN' ? ' / ' : ' › ') : names[names.length - 1]!;
}

/** The group's taxonomy from the API, falling back to the built-in default tree. */
export function useCategories(): readonly Category[] {
  const [categories, setCategories] = useState<readonly Category[]>(DEFAULT_CATEGORIES);
  useEffect(() => {
    const c = new AbortController();
    casesApi.categories(c.signal).then(
      (list) => {
        if (list.length > 0 && list.every((x) => typeof x?.code === 'string' && x.name)) setCategories(list);
      },
      () => undefined,
    );
    return () => c.abort();
  }, []);
  return categories;
}

// ---------------------------------------------------------------------------------------------
// Countdowns

/** A live countdown: `剩余 03:12:09`, amber after the warning, red once overdue, frozen while paused. */
export function Countdown({
  target,
  status,
  loadedAt,
  testId = 'countdown',
  name,
  settledText,
}: {
  target: SlaTarget | null | undefined;
  status: CaseStatus;
  loadedAt?: number;
  testId?: string;
  name?: string;
  /** What to say instead of the state's name once the clock is not counting (met, met late, not started). */
  settledText?: string | undefined;
}) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const v = targetView(target, status, now, loadedAt);
  return <CountdownText state={v.state} remainingMs={v.remainingMs} dueAt={v.dueAt} testId={testId} name={name} lang={lang} t={t} settledText={settledText} />;
}

function CountdownText({
  state,
  remainingMs,
  dueAt,
  testId,
  name,
  lang,
  t,
  settledText,
}: {
  state: TargetState;
  remainingMs: number | null;
  dueAt: number | null;
  testId: string;
  name?: string | undefined;
  lang: Lang;
  t: ReturnType<typeof useI18n>['t'];
  settledText?: string | undefined;
}) {
  let text: string;
  if (state === 'met' || state === 'met_late' || state === 'pending' || remainingMs === null) text = settledText ?? t(`targetState.${state}` as const);
  else if (remainingMs <= 0) text = t('countdown.overdue', { time: formatCountdown(remainingMs, lang) });
  else if (state === 'paused') text = t('countdown.paused', { time: formatCountdown(remainingMs, lang) });
  else text = t('countdown.left', { time: formatCountdown(remainingMs, lang) });
  return (
    <span className={`countdown countdown-${state}`} data-testid={testId} data-state={state} data-target={name} data-due={dueAt ?? undefined} role="timer" aria-live="off">
      {text}
    </span>
  );
}

/** A case row's countdown to its next deadline, with the target's name. */
export function NextDueCountdown({ sla, status, loadedAt }: { sla: CaseSla; status: CaseStatus; loadedAt: number }) {
  const { t } = useI18n();
  const next = status === 'closed' ? null : nextTarget(sla);
  if (!next) {
    return (
      <span className="countdown countdown-met" data-testid="countdown" data-state="met">
        {status === 'closed' ? t('caseStatus.closed') : t('cases.allDone')}
      </span>
    );
  }
  return (
    <span className="next-due">
      <span className="next-due-name">{t(`target.${next.name as TargetName}` as const)}</span>
      <Countdown target={next.target} status={status} loadedAt={loadedAt} name={next.name} />
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// Category picker

/**
 * Cascading selects over the taxonomy: each level lists the children of the level above. The
 * value is the deepest chosen code ('' for none).
 */
export function CategoryPicker({
  value,
  onChange,
  categories,
  root,
  error,
  label,
}: {
  value: string;
  onChange: (code: string) => void;
  categories: readonly Category[];
  /** Restrict the first level to this root and its siblings' order (e.g. the case type). */
  root?: string | undefined;
  error?: string | undefined;
  label: string;
}) {
  const { t, lang } = useI18n();
  const baseId = useId();
  const chain = value ? categoryPath({ code: value, categories }).map((c) => c.code) : [];
  const childrenOf = (parent: string | undefined) => categories.filter((c) => c.parent === parent);
  const levels: { parent: string | undefined; options: Category[]; selected: string }[] = [];
  let parent: string | undefined = undefined;
  for (let depth = 0; depth < 6; depth++) {
    let options = childrenOf(parent);
    if (depth === 0 && root) options = [...options.filter((c) => c.code === root), ...options.filter((c) => c.code !== root)];
    if (options.length === 0) break;
    const selected = chain[depth] ?? '';
    levels.push({ parent, options, selected });
    if (!selected) break;
    parent = selected;
  }
  return (
    <div className={`field category-picker${error ? ' has-error' : ''}`} data-testid="category-picker">
      <label htmlFor={`${baseId}-0`}>
        {label}
        <span className="required" aria-hidden="true">
          {' '}
          *
        </span>
      </label>
      <div className="category-levels">
        {levels.map((level, depth) => (
          <select
            key={depth}
            id={`${baseId}-${depth}`}
            name={`category-${depth}`}
            data-testid={`category-level-${depth}`}
            aria-label={t('newCase.categoryLevel', { n: depth + 1 })}
            value={level.selected}
            onChange={(e) => onChange(e.target.value || (level.parent ?? ''))}
          >
            <option value="">{t('common.choose')}</option>
            {level.options.map((c) => (
              <option key={c.code} value={c.code}>
                {lang === 'zh-CN' ? c.name.zh : c.name.en}
              </option>
            ))}
          </select>
        ))}
      </div>
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : value ? (
        <div className="field-hint" data-testid="category-path">
          {categoryName(value, lang, categories)}
        </div>
      ) : null}
    </div>
  );
}
