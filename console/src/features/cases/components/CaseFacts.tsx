/** The case's facts by name: project, unit, customer and callback contact, who opened and who works it. */
import { Descriptions, Skeleton, Tag, Tooltip, Typography } from 'antd';
import type { User } from '../../../api.js';
import { categoryName } from '../categories.js';
import { formatDateTime, formatMoney } from '../../../format.js';
import { useI18n, type MessageKey } from '../../../i18n.js';
import { mayReadRecordViews, WhoViewedLink } from '../../../shared/record-views.js';
import type { Category } from '../../../../../domain/cases/categories.js';
import { useAllProjects } from '../../org/api.js';
import type { CaseView } from '../model.js';

export function ratingLabel(n: number, t: (k: MessageKey) => string): string {
  return n >= 1 && n <= 5 ? `${n} · ${t(`rating.${n}` as MessageKey)}` : String(n);
}

export function CaseFacts({ c, user, categories }: { c: CaseView; user: User; categories: readonly Category[] }) {
  const { t, lang } = useI18n();
  const projects = useAllProjects();
  // The case carries its project's name; a stored case without one waits for the project list, never showing the id.
  const projectName = c.projectName ?? projects.data?.find((p) => p.id === c.projectId)?.name ?? null;
  const assignee = c.assigneeId === user.id ? user.displayName : (c.assigneeName ?? null);
  const unitLabel = c.unit?.label ?? null;
  const openedBy = c.openedById === user.id ? user.displayName : (c.openedByName ?? null);
  const items = [
    { key: 'category', label: t('cases.category'), children: categoryName(c.category, lang, categories) },
    {
      key: 'project',
      label: t('cases.project'),
      children: projectName ? <span data-testid="case-project">{projectName}</span> : <Skeleton.Input active size="small" data-testid="case-project-loading" />,
    },
    { key: 'unit', label: t('case.unit'), children: <span data-testid="case-unit">{unitLabel ?? t('casePage.noUnit')}</span> },
    {
      key: 'customer',
      label: t('case.customer'),
      children: c.customer ? (
        <span data-testid="case-customer">
          {c.customer.name}{' '}
          <Typography.Text type="secondary" className="mono">
            {c.customer.phone}
          </Typography.Text>
          {mayReadRecordViews(user) ? (
            <>
              {' '}
              <WhoViewedLink customerId={c.customer.id} />
            </>
          ) : null}
        </span>
      ) : (
        '—'
      ),
    },
    ...(c.contact && c.contact.source === 'case'
      ? [
          {
            key: 'contact',
            label: t('casePage.contact'),
            children: (
              <span data-testid="case-contact">
                {c.contact.name}{' '}
                <Typography.Text type="secondary" className="mono">
                  {c.contact.phone}
                </Typography.Text>
              </span>
            ),
          },
        ]
      : []),
    { key: 'channel', label: t('case.channel'), children: t(`channel.${c.channel}` as const) },
    { key: 'opened', label: t('cases.openedAt'), children: `${formatDateTime(c.openedAt, lang)}${openedBy ? ` · ${openedBy}` : ''}` },
    {
      key: 'assignee',
      label: t('cases.assignee'),
      children: <span data-testid="case-assignee">{assignee ?? (c.assigneeId ? t('casePage.colleague') : <Typography.Text type="secondary">{t('cases.unassigned')}</Typography.Text>)}</span>,
    },
    ...(c.warranty ? [{ key: 'warranty', label: t('warranty.label'), children: <WarrantyFact w={c.warranty} /> }] : []),
    ...(c.estimatedCost !== null && c.estimatedCost !== undefined ? [{ key: 'cost', label: t('case.estimatedCost'), children: formatMoney(Number(c.estimatedCost), lang) }] : []),
    ...(c.satisfaction ? [{ key: 'satisfaction', label: t('case.satisfaction'), children: <span data-testid="case-satisfaction">{ratingLabel(c.satisfaction, t)}</span> }] : []),
  ];
  return <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={items} data-testid="case-facts" />;
}

/**
 * 保内 / 保外 of the part of the building the case is about: the tag, the last covered day, and the
 * clause it follows (in the screen's language) on hover and under the tag on a phone.
 */
function WarrantyFact({ w }: { w: NonNullable<CaseView['warranty']> }) {
  const { t, lang } = useI18n();
  const component = t(`warranty.component.${w.component}` as MessageKey);
  // Solid tags in StatusTag's tones (white text on a dark fill: AA contrast at 12 px).
  const color = w.status === 'in' ? '#237804' : w.status === 'out' ? '#ad4e00' : '#874d00';
  const text =
    w.status === 'unknown'
      ? t(`warranty.reason.${w.reason ?? 'INVALID_FACTS'}` as MessageKey, { component })
      : w.lastDay
        ? t(w.status === 'in' ? 'warranty.until' : 'warranty.ended', { component, day: w.lastDay })
        : component;
  const clause = w.clause ? (lang === 'en' ? w.clause.en : w.clause.zh) : null;
  return (
    <span data-testid="case-warranty" data-status={w.status}>
      <Tag color={color}>{t(`warranty.${w.status}` as MessageKey)}</Tag>
      <span>{text}</span>
      {clause ? (
        <Tooltip title={clause}>
          <Typography.Text type="secondary" className="warranty-clause" data-testid="case-warranty-clause" style={{ display: 'block', fontSize: 12 }}>
            {clause}
          </Typography.Text>
        </Tooltip>
      ) : null}
      {w.status === 'out' ? (
        <Typography.Text style={{ display: 'block', fontSize: 12, color: '#ad4e00' }}>
          {t('warranty.outHint')}
        </Typography.Text>
      ) : null}
    </span>
  );
}
