/**
 * 来电弹屏: what the console knows about the number being typed on the intake form — the customer,
 * their open cases (what breaches first on top, with its countdown), their units and last contacts —
 * so the agent links the caller in one click and attaches a repeat call to the case already open
 * instead of opening a duplicate.
 */
import { Alert, Button, Card, Empty, List, Skeleton, Space, Tag, Typography } from 'antd';
import type { CustomerLookup } from '../../../../../api/customers/records-schemas.js';
import type { Customer } from '../../../api.js';
import { StatusTag } from '../../../shared/StatusTag.js';
import { categoryName } from '../categories.js';
import { NextDueCountdown } from './Countdown.js';
import { formatDateTime } from '../../../format.js';
import { useI18n, type MessageKey } from '../../../i18n.js';
import { Link } from '../../../router.js';
import type { Category } from '../../../../../domain/cases/categories.js';

export function ScreenPop({
  phone,
  lookup,
  loading,
  loadedAt,
  linked,
  categories,
  onLink,
  onAttach,
  onPickUnit,
}: {
  phone: string | null;
  lookup: CustomerLookup | undefined;
  loading: boolean;
  loadedAt: number;
  linked: Customer | null;
  categories: readonly Category[];
  onLink: (c: Customer) => void;
  onAttach: (caseId: string, number: string) => void;
  onPickUnit: (projectId: string, unitId: string) => void;
}) {
  const { t, lang } = useI18n();
  if (!phone) {
    return (
      <Card size="small" title={t('intake.popTitle')} data-testid="screen-pop" data-state="idle">
        <Typography.Text type="secondary">{t('intake.popIdle')}</Typography.Text>
      </Card>
    );
  }
  if (loading && !lookup) {
    return (
      <Card size="small" title={t('intake.popTitle')} data-testid="screen-pop" data-state="loading">
        <Skeleton active paragraph={{ rows: 3 }} />
      </Card>
    );
  }
  if (!lookup?.customer) {
    return (
      <Card size="small" title={t('intake.popTitle')} data-testid="screen-pop" data-state="unknown">
        <Alert type="info" showIcon title={t('intake.popUnknown', { phone })} description={t('newCase.newCustomer')} />
      </Card>
    );
  }
  const customer = lookup.customer;
  const open = lookup.openCases;
  return (
    <Card
      size="small"
      title={t('intake.popTitle')}
      data-testid="screen-pop"
      data-state="known"
      data-customer-id={customer.id}
      extra={
        linked?.id === customer.id ? (
          <Tag color="green" data-testid="linked-customer">
            {t('intake.linked')}
          </Tag>
        ) : (
          <Button type="primary" size="small" data-testid="customer-match" onClick={() => onLink(customer)}>
            {t('intake.useCustomer', { name: customer.name })}
          </Button>
        )
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <div>
          <Typography.Text strong data-testid="pop-customer-name">
            {customer.name}
          </Typography.Text>{' '}
          <Typography.Text type="secondary" className="mono">
            {customer.phone}
          </Typography.Text>
        </div>

        {open ? (
          <section aria-labelledby="pop-open-cases">
            <Typography.Title level={5} id="pop-open-cases" style={{ marginTop: 0 }}>
              {t('intake.popOpenCases', { n: open.total })}
            </Typography.Title>
            {open.items.length === 0 ? (
              <Typography.Text type="secondary">{t('intake.popNoOpenCases')}</Typography.Text>
            ) : (
              <List
                size="small"
                dataSource={open.items}
                data-testid="pop-open-cases"
                renderItem={(c) => (
                  <List.Item
                    key={c.id}
                    data-testid="pop-case"
                    data-case-id={c.id}
                    actions={[
                      <Button key="attach" size="small" type="primary" ghost data-testid="attach-call" onClick={() => onAttach(c.id, c.number)}>
                        {t('intake.attach')}
                      </Button>,
                    ]}
                  >
                    <List.Item.Meta
                      title={
                        <Space size={6} wrap>
                          <Link to={`/cases/${encodeURIComponent(c.id)}`} className="mono">
                            {c.number}
                          </Link>
                          <StatusTag kind="case" status={c.status} testId="case-status" />
                        </Space>
                      }
                      description={
                        <Space orientation="vertical" size={0}>
                          <span>
                            {categoryName(c.category, lang, categories)}
                            {c.unit ? ` · ${c.unit.label}` : ''}
                          </span>
                          <NextDueCountdown sla={c.sla} status={c.status} loadedAt={loadedAt} />
                        </Space>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </section>
        ) : null}

        <section aria-labelledby="pop-units">
          <Typography.Title level={5} id="pop-units" style={{ marginTop: 0 }}>
            {t('intake.popUnits')}
          </Typography.Title>
          {lookup.units.length === 0 ? (
            <Typography.Text type="secondary">{t('intake.popNoUnits')}</Typography.Text>
          ) : (
            <Space size={[6, 6]} wrap data-testid="pop-units">
              {lookup.units.map((u) => (
                <Button key={u.id} size="small" onClick={() => onPickUnit(u.projectId, u.id)} title={t('intake.pickUnit')}>
                  {u.projectName} · {u.label}
                </Button>
              ))}
            </Space>
          )}
        </section>

        <section aria-labelledby="pop-contacts">
          <Typography.Title level={5} id="pop-contacts" style={{ marginTop: 0 }}>
            {t('intake.popContacts')}
          </Typography.Title>
          {lookup.lastContacts.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.popNoContacts')} />
          ) : (
            <List
              size="small"
              data-testid="pop-contacts"
              dataSource={lookup.lastContacts}
              renderItem={(x) => (
                <List.Item key={`${x.recordId}-${x.at}-${x.event}`}>
                  <span>
                    {formatDateTime(x.at, lang)} · {t(`intake.contact.${x.event}` as MessageKey)} · <span className="mono">{x.recordNumber}</span>
                    {x.actor.name ? ` · ${x.actor.name}` : ''}
                  </span>
                </List.Item>
              )}
            />
          )}
        </section>
      </Space>
    </Card>
  );
}
