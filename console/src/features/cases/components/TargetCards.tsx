/**
 * The three targets of the case: live countdowns, due / met / breached times. After a reopen the
 * current period owes no new first contact: the card says when the earlier one was met and in which
 * period, instead of "not started / due —".
 */
import { Card, Col, Row, Typography } from 'antd';
import { TARGETS, type TargetName } from '../../../../../domain/cases/types.js';
import { Countdown } from '../../../case-ui.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { formatDuration, targetView, useNowMs, type TargetState } from '../../../sla.js';
import { Badge, type BadgeTone } from '../../../ui.js';
import type { CaseView } from '../model.js';

// The console's own badges: antd's status tag colours fall under AA contrast at this size.
const STATE_TONE: Record<TargetState, BadgeTone> = {
  pending: 'grey',
  running: 'blue',
  warning: 'amber',
  paused: 'grey',
  met: 'green',
  met_late: 'amber',
  breached: 'red',
};

const at = (v: number | string | null | undefined, lang: 'zh-CN' | 'en') => (v === null || v === undefined ? '—' : formatDateTime(new Date(v), lang));

function TargetCard({ name, c, loadedAt }: { name: TargetName; c: CaseView; loadedAt: number }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const target = c.sla?.[name] ?? null;
  const v = targetView(target, c.status, now, loadedAt);
  const earlier = target?.period && !target.period.current;
  return (
    <Card size="small" data-testid={`target-${name}`} data-state={v.state} data-period={target?.period?.index} title={t(`target.${name}` as const)} extra={<Badge tone={STATE_TONE[v.state]}>{t(`targetState.${v.state}` as const)}</Badge>}>
      <div className="target-countdown">
        <Countdown target={target} status={c.status} loadedAt={loadedAt} name={name} testId={`countdown-${name}`} />
      </div>
      {earlier ? (
        <Typography.Paragraph type="secondary" data-testid={`target-${name}-earlier`} style={{ marginBottom: 4 }}>
          {t('casePage.metInEarlierPeriod', { tier: t(`tier.${target.period!.tier}` as const) })}
        </Typography.Paragraph>
      ) : null}
      <dl className="target-facts">
        {v.metAt === null ? (
          <>
            <dt>{t('case.due')}</dt>
            <dd>{v.dueAt === null ? t('casePage.notYetDue') : at(v.dueAt, lang)}</dd>
          </>
        ) : null}
        {v.metAt !== null ? (
          <>
            <dt>{t('case.metAt')}</dt>
            <dd>{at(v.metAt, lang)}</dd>
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
