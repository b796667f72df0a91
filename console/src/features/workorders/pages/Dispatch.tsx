/**
 * 派工看板 (/dispatch): for dispatchers (work-orders:dispatch). At the top the orders nobody holds
 * and those whose arrival target passed without a check-in; below, the open orders by technician
 * or contractor and by appointment day (China time). Assign and reassign from any row.
 */
import { useMemo, useState } from 'react';
import { Button, Card, Empty, Space, Table, Typography, type TableColumnsType } from 'antd';
import { DateTime } from 'luxon';
import type { User } from '../../../api.js';
import { DEFAULT_TIME_ZONE, formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { categoryName } from '../../cases/categories.js';
import { useWorkOrderAssignees, useWorkOrderList, type WorkOrder } from '../api.js';
import { AssignDialog, type AssigneeOption } from '../components/AssignDialog.js';
import { ArrivalCountdown, WorkOrderStatus } from '../components/JobBits.js';
import '../workorders.css';

const OPEN = 'assigned,scheduled,on_site,awaiting_sign_off';

export function DispatchPage(_props: { user: User }) {
  const { t } = useI18n();
  const unassigned = useWorkOrderList({ unassigned: 'true' });
  const late = useWorkOrderList({ late: 'true' });
  const open = useWorkOrderList({ status: OPEN });
  const [editing, setEditing] = useState<WorkOrder | null>(null);
  const assignees = useWorkOrderAssignees(editing?.project.id ?? null);

  // Who can be picked: the project's technicians and the group's contractor companies, by name.
  const options = useMemo<AssigneeOption[]>(
    () => [
      ...(assignees.data?.technicians ?? []).map((u) => ({ kind: 'technician' as const, id: u.id, name: u.name })),
      ...(assignees.data?.contractors ?? []).map((c) => ({ kind: 'contractor' as const, id: c.id, name: c.name })),
    ],
    [assignees.data],
  );

  return (
    <div data-testid="dispatch-board">
      <Typography.Title level={1} className="field-title">
        {t('dispatch.title')}
      </Typography.Title>
      <Section title={t('dispatch.unassigned')} testId="dispatch-unassigned" query={unassigned} onEdit={setEditing} />
      <Section title={t('dispatch.late')} testId="dispatch-late" query={late} onEdit={setEditing} />
      <Card className="field-section" title={<h2 className="card-title-h">{t('dispatch.board')}</h2>}>
        {open.error ? <ProblemAlert error={open.error} onRetry={() => void open.refetch()} /> : null}
        <ByAssignee orders={open.data?.items ?? []} onEdit={setEditing} />
      </Card>
      {editing ? <AssignDialog order={editing} options={options} onClose={() => setEditing(null)} /> : null}
    </div>
  );
}

function useColumns(onEdit: (w: WorkOrder) => void): TableColumnsType<WorkOrder> {
  const { t, lang } = useI18n();
  return [
    { key: 'number', title: t('dispatch.order'), render: (_, w) => <span className="mono">{w.number}</span> },
    { key: 'status', title: t('dispatch.status'), render: (_, w) => <Space wrap size={4}><WorkOrderStatus status={w.status} /><ArrivalCountdown order={w} /></Space> },
    { key: 'place', title: t('dispatch.place'), render: (_, w) => `${w.project.name ?? ''} ${w.unit?.label ?? ''}` },
    { key: 'category', title: t('dispatch.category'), render: (_, w) => categoryName(w.category, lang), responsive: ['md'] },
    { key: 'when', title: t('job.appointment'), render: (_, w) => (w.appointment ? formatDateTime(w.appointment.start, lang) : t('dispatch.unscheduled')), responsive: ['md'] },
    { key: 'assignee', title: t('dispatch.assignee'), render: (_, w) => w.assignee?.name ?? '—' },
    {
      key: 'action',
      title: '',
      render: (_, w) =>
        w.status === 'done' || w.status === 'cancelled' || w.status === 'awaiting_quote' ? null : (
          <Button size="small" onClick={() => onEdit(w)} data-testid="dispatch-assign" data-wo-id={w.id}>
            {w.assignee ? t('dispatch.reassign') : t('dispatch.assign')}
          </Button>
        ),
    },
  ];
}

function Section({ title, testId, query, onEdit }: { title: string; testId: string; query: ReturnType<typeof useWorkOrderList>; onEdit: (w: WorkOrder) => void }) {
  const { t } = useI18n();
  const columns = useColumns(onEdit);
  return (
    <Card className="field-section" title={<h2 className="card-title-h">{title}</h2>} data-testid={testId}>
      {query.error ? <ProblemAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <Table<WorkOrder> rowKey="id" size="small" columns={columns} dataSource={query.data?.items ?? []} loading={query.isLoading} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: <span className="dispatch-empty">{t('dispatch.none')}</span> }} onRow={(w) => ({ 'data-wo-id': w.id }) as React.HTMLAttributes<HTMLElement>} />
    </Card>
  );
}

function dayOf(w: WorkOrder): string {
  return w.appointment ? DateTime.fromISO(w.appointment.start, { zone: DEFAULT_TIME_ZONE }).toISODate()! : '';
}

function ByAssignee({ orders, onEdit }: { orders: readonly WorkOrder[]; onEdit: (w: WorkOrder) => void }) {
  const { t } = useI18n();
  const columns = useColumns(onEdit);
  const groups = useMemo(() => {
    const byWho = new Map<string, { name: string; days: Map<string, WorkOrder[]> }>();
    for (const w of orders) {
      const who = w.assignee?.id ?? '';
      const g = byWho.get(who) ?? { name: w.assignee?.name ?? w.assignee?.id ?? '—', days: new Map() };
      const day = dayOf(w);
      g.days.set(day, [...(g.days.get(day) ?? []), w]);
      byWho.set(who, g);
    }
    return [...byWho.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name));
  }, [orders]);
  if (groups.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dispatch.none')} />;
  return (
    <div>
      {groups.map(([who, g]) => (
        <section key={who} data-testid="dispatch-assignee" data-assignee-id={who} className="field-section">
          <h3>{g.name}</h3>
          {[...g.days.entries()]
            .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
            .map(([day, list]) => (
              <div key={day} data-testid="dispatch-day" data-day={day}>
                <Typography.Text strong>{day || t('dispatch.unscheduled')}</Typography.Text>
                <Table<WorkOrder> rowKey="id" size="small" columns={columns} dataSource={list} pagination={false} scroll={{ x: 'max-content' }} />
              </div>
            ))}
        </section>
      ))}
    </div>
  );
}
