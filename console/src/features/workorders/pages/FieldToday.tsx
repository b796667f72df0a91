/**
 * 今日维修 (/field): a technician's or contractor's jobs of the day on a phone — in appointment
 * order, each with its address, a call button to the owner (the masked number the API gives),
 * its status and the arrival target's countdown. A job opens its on-site page.
 */
import { Card, Empty, Space, Tag, Typography } from 'antd';
import type { User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Link } from '../../../router.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { chinaToday, useTodayJobs, useWorkOrder, type WorkOrder } from '../api.js';
import { ArrivalCountdown, CallOwner, WorkOrderStatus } from '../components/JobBits.js';
import '../workorders.css';

export function FieldTodayPage(_props: { user: User }) {
  const { t } = useI18n();
  const jobs = useTodayJobs(chinaToday());
  const items = jobs.data ?? [];
  return (
    <div className="field-page" data-testid="field-today">
      <Typography.Title level={1} className="field-title">
        {t('field.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('field.intro')}</Typography.Paragraph>
      {jobs.error ? <ProblemAlert error={jobs.error} onRetry={() => void jobs.refetch()} /> : null}
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={jobs.isLoading ? t('app.loading') : t('field.empty')} />
      ) : (
        <ul className="field-list" aria-label={t('field.title')}>
          {items.map((w) => (
            <li key={w.id}>
              <JobCard order={w} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function JobCard({ order: w }: { order: WorkOrder }) {
  const { t, lang } = useI18n();
  // The list's rows carry no address or contact: each job's detail has them (a handful a day).
  const detail = useWorkOrder(w.id).data;
  return (
    <Card size="small" className="field-job" data-testid="field-job" data-wo-id={w.id}>
      <Space wrap size={[8, 4]}>
        <span className="mono">{w.number}</span>
        <WorkOrderStatus status={w.status} />
        {w.urgent ? <Tag color="#a8071a">{t('field.urgent')}</Tag> : null}
        <ArrivalCountdown order={w} />
      </Space>
      <div className="field-job-when">{w.appointment ? `${formatDateTime(w.appointment.start, lang)} – ${formatDateTime(w.appointment.end, lang)}` : t('field.noAppointment')}</div>
      <div className="field-job-where" data-testid="field-job-address">
        {detail?.address.label ?? `${w.project.name ?? ''} ${w.unit?.label ?? ''}`}
      </div>
      <div className="field-actions">
        {detail?.contact ? <CallOwner contact={detail.contact} /> : null}
        <Link to={`/field/${encodeURIComponent(w.id)}`} className="ant-btn ant-btn-primary field-open" data-testid="field-job-open">
          {t('field.open')} {w.number}
        </Link>
      </div>
    </Card>
  );
}
