/**
 * The three targets of the case: live countdowns, due / met / breached times. After a reopen the
 * current period owes no new first contact and no callback yet: those cards say when the earlier
 * one was met, in which period and what comes next (in the target's own words), instead of
 * "not started / due —"; the new resolution target counts down.
 */
import { Card, Col, Row, Typography } from 'antd';
import { TARGETS, type TargetName } from '../../../../../domain/cases/types.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { formatDuration, targetView, useNowMs, type TargetView } from '../../../shared/sla.js';
import { StatusTag } from '../../../shared/StatusTag.js';
import type { CaseView } from '../model.js';
import { Countdown } from './Countdown.js';

const at = (v: number | string | null | undefined, lang: 'zh-CN' | 'en') => (v === null || v === undefined ? '—' : formatDateTime(new Date(v), lang));

/**
 * The card's headline: the live countdown while the clock counts; once it does not, what happened
 * (met at …) or when it will start — never the state's name again beside its badge.
 */
function settledText(name: TargetName, v: TargetView, t: ReturnType<typeof useI18n>['t'], lang: 'zh-CN' | 'en'): string | undefined {
  if (v.metAt !== null) return t(v.state === 'met_late' ? 'casePage.target.metLateAt' : 'casePage.target.metAt', { at: at(v.metAt, lang) });
  if (v.state === 'pending') return name === 'callback' ? t('casePage.target.startsWhenResolved') : t('casePage.notYetDue');
  return undefined;
}

function TargetCard({ name, c, loadedAt }: { name: TargetName; c: CaseView; loadedAt: number }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const target = c.sla?.[name] ?? null;
  const v = targetView(target, c.status, now, loadedAt);
  // A target of an earlier tier period (after a reopen or an escalation the current one owes none
  // yet): each target says in its own words what was done then and what comes next.
  const earlier = target?.period && !target.period.current ? target.period : null;
  return (
    <Card size="small" data-testid={`target-${name}`} data-state={v.state} data-period={target?.period?.index} title={t(`target.${name}` as const)} extra={<StatusTag kind="target" status={v.state} />}>
      <div className="target-countdown">
        <Countdown target={target} status={c.status} loadedAt={loadedAt} name={name} testId={`countdown-${name}`} settledText={settledText(name, v, t, lang)} />
      </div>
      {earlier ? (
        <Typography.Paragraph type="secondary" data-testid={`target-${name}-earlier`} style={{ marginBottom: 4 }}>
          {t(`casePage.earlier.${name}` as const, { tier: t(`tier.${earlier.tier}` as const), reason: c.period?.reason ?? 'reopened' })}
        </Typography.Paragraph>
      ) : null}
      <dl className="target-facts">
        {v.dueAt !== null ? (
          <>
            <dt>{t('case.due')}</dt>
            <dd>{at(v.dueAt, lang)}</dd>
          </>
        ) : null}
        {v.breachedAt !== null ? (
          <>
            <dt>{t('case.breachedAt')}</dt>
            <dd>{at(v.breachedAt, lang)}</dd>
          </>
        ) : null}
        {target && target.pausedMs > 0 ? (
          <>
            <dt>{t('case.pausedFor')}</dt>
            <dd>{formatDuration(target.pausedMs, lang)}</dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}

export function TargetCards({ c, loadedAt }: { c: CaseView; loadedAt: number }) {
  return (
    <Row gutter={[12, 12]} data-testid="targets">
      {TARGETS.map((name) => (
        <Col key={name} xs={24} md={8}>
          <TargetCard name={name} c={c} loadedAt={loadedAt} />
        </Col>
      ))}
    </Row>
  );
}
