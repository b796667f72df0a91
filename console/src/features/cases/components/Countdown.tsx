/**
 * A case target's live countdown (`剩余 03:12:09`, amber after the warning, red once overdue, frozen
 * while paused) and a case row's countdown to its next deadline. Every countdown on a page ticks
 * on the one shared clock of shared/sla.ts.
 */
import type { CaseStatus, TargetName } from '../../../../../domain/cases/types.js';
import { useI18n } from '../../../i18n.js';
import { formatCountdown, nextTarget, targetView, useNowMs } from '../../../shared/sla.js';
import type { CaseSla, SlaTarget } from '../api.js';

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
  const { state, remainingMs, dueAt } = targetView(target, status, now, loadedAt);
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
