/**
 * 查看记录: who viewed which customer's full record, when, through what, with the contact details
 * whole or masked, on the list kit. Filtered by viewer (a searchable list of the reader's staff),
 * kind and days of the group's time zone; `?customerId=` (from "who viewed this" links) narrows it
 * to one customer. Every filter is in the address. Reading it records nothing: the page never
 * opens a customer's record.
 */
import { useState } from 'react';
import { Button, Card, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { DataTable, type DataColumn } from '../../../shared/table/DataTable.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { downloadBlob } from '../../../shared/download.js';
import { RECORD_KINDS, recordViewsCsv, useRecordViews, useStaff, type RecordKind, type RecordView, type RecordViewFilters } from '../api.js';

const SORTS = ['default'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });
const todayIn = (zone: string) => DateTime.now().setZone(zone).toISODate()!;
/** The instant a calendar day of the group's zone starts, as ISO. */
const dayStart = (date: string) => DateTime.fromISO(date, { zone: DEFAULT_TIME_ZONE }).startOf('day').toUTC().toISO()!;
const nextDay = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;

/** The console page a record is opened on, for the kinds that have one. */
function recordPath(v: RecordView): string | null {
  switch (v.record.kind) {
    case 'case':
      return `/cases/${encodeURIComponent(v.record.id)}`;
    case 'lead':
      return `/leads/${encodeURIComponent(v.record.id)}`;
    case 'sale':
      return `/sales/${encodeURIComponent(v.record.id)}`;
    default:
      return null;
  }
}

interface Draft {
  userId: string;
  kind: string;
  from: string;
  to: string;
}

export function RecordViewsPage() {
  const { t, lang } = useI18n();
  const params = useListParams({ customerId: '', userId: '', kind: '', from: '', to: '' }, SORTS);
  const applied: Draft = { userId: params.get('userId'), kind: params.get('kind'), from: params.get('from'), to: params.get('to') };
  const customerId = params.get('customerId');
  const [draft, setDraft] = useState<Draft>(applied);
  const today = todayIn(DEFAULT_TIME_ZONE);
  const kind = (RECORD_KINDS as readonly string[]).includes(applied.kind) ? (applied.kind as RecordKind) : undefined;

  const filters: RecordViewFilters = {
    ...(applied.userId ? { userId: applied.userId } : {}),
    ...(customerId ? { customerId } : {}),
    ...(kind ? { kind } : {}),
    ...(DATE.test(applied.from) ? { from: dayStart(applied.from) } : {}),
    ...(DATE.test(applied.to) ? { to: dayStart(nextDay(applied.to)) } : {}),
  };
  const list = useRecordViews({ ...filters, page: params.page, pageSize: params.pageSize });
  const staff = useStaff();
  const exportCsv = useMutation({ mutationFn: () => downloadBlob(recordViewsCsv(filters), `record-views-${today}.csv`) });

  const customerName = list.data?.items.find((v) => v.customer?.id === customerId)?.customer?.name ?? customerId.slice(0, 8);

  const columns: DataColumn<RecordView>[] = [
    { key: 'viewedAt', title: t('recordViews.viewedAt'), width: 160, onCell: nowrap, render: (_, v) => formatDateTime(v.viewedAt, lang) },
    {
      key: 'viewer',
      title: t('recordViews.viewer'),
      always: true,
      width: 170,
      render: (_, v) => (
        <span data-testid="record-view-viewer">
          <strong>{v.viewer.name ?? v.viewer.id.slice(0, 8)}</strong> <Typography.Text type="secondary">{t(`role.${v.viewer.role}` as const)}</Typography.Text>
        </span>
      ),
    },
    {
      key: 'customer',
      title: t('recordViews.customer'),
      width: 110,
      render: (_, v) => <span data-testid="record-view-customer">{v.customer ? (v.customer.name ?? v.customer.id.slice(0, 8)) : '—'}</span>,
    },
    {
      key: 'record',
      title: t('recordViews.record'),
      always: true,
      width: 190,
      render: (_, v) => {
        const path = recordPath(v);
        const label = `${t(`recordViews.kind.${v.record.kind}` as const)}${v.record.number ? ` ${v.record.number}` : ''}`;
        return <span data-testid="record-view-record">{path ? <Link to={path}>{label}</Link> : label}</span>;
      },
    },
    { key: 'project', title: t('recordViews.project'), width: 120, render: (_, v) => v.project?.name ?? '—' },
    {
      key: 'contact',
      title: t('recordViews.contact'),
      width: 100,
      render: (_, v) => (v.contactShown ? <Tag color="#ad4e00">{t('recordViews.contactWhole')}</Tag> : <Tag>{t('recordViews.contactMasked')}</Tag>),
    },
    { key: 'requestId', title: t('recordViews.requestId'), optional: true, width: 200, render: (_, v) => <span className="mono">{v.requestId ?? '—'}</span> },
  ];

  return (
    <div className="page">
      <Card
        title={<h2 className="card-title-h">{t('recordViews.title')}</h2>}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isLoading}>
            {t('action.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('recordViews.intro')}</Typography.Paragraph>
        {customerId ? (
          <Space style={{ marginBottom: 12 }} data-testid="record-views-customer-filter">
            <Tag color="#0958d9">{t('recordViews.customerFilter', { name: customerName })}</Tag>
            <Button size="small" onClick={() => params.set({ customerId: '' })}>
              {t('action.clear')}
            </Button>
          </Space>
        ) : null}
        <Form
          component="form"
          layout="inline"
          style={{ rowGap: 12, marginBottom: 16 }}
          onFinish={() => params.set({ userId: draft.userId, kind: draft.kind, from: draft.from, to: draft.to })}
        >
          <Form.Item label={t('recordViews.user')} htmlFor="record-views-user">
            <Select
              id="record-views-user"
              data-testid="record-views-user"
              value={draft.userId}
              style={{ width: 220 }}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={(v: string) => setDraft({ ...draft, userId: v })}
              options={[
                { value: '', label: t('recordViews.anyone') },
                ...(staff.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` })),
              ]}
            />
          </Form.Item>
          <Form.Item label={t('recordViews.kind')} htmlFor="record-views-kind">
            <Select
              id="record-views-kind"
              value={draft.kind}
              style={{ width: 160 }}
              onChange={(v: string) => setDraft({ ...draft, kind: v })}
              options={[{ value: '', label: t('common.all') }, ...RECORD_KINDS.map((k) => ({ value: k, label: t(`recordViews.kind.${k}` as const) }))]}
            />
          </Form.Item>
          <Form.Item label={t('sla.from')} htmlFor="record-views-from">
            <Input id="record-views-from" name="from" type="date" value={draft.from} max={draft.to || today} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </Form.Item>
          <Form.Item label={t('sla.to')} htmlFor="record-views-to">
            <Input id="record-views-to" name="to" type="date" value={draft.to} min={draft.from || undefined} max={today} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" type="primary" data-testid="record-views-apply">
              {t('sla.apply')}
            </Button>
          </Form.Item>
          <Form.Item>
            <Button icon={<DownloadOutlined />} data-testid="record-views-export" onClick={() => exportCsv.mutate()} loading={exportCsv.isPending}>
              {t('sla.export')}
            </Button>
          </Form.Item>
        </Form>
        {list.error || exportCsv.error ? <ProblemAlert error={list.error ?? exportCsv.error} onRetry={() => void list.refetch()} /> : null}
        <DataTable<RecordView, 'default'>
          id="record-views"
          rowKey="id"
          columns={columns}
          rows={list.data?.items}
          total={list.data?.total ?? 0}
          loading={list.isLoading}
          params={params}
          defaultSort="default"
          emptyText={t('recordViews.empty')}
        />
      </Card>
    </div>
  );
}
