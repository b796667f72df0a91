/**
 * The record-view log (issue 6) as the other features meet it: who may read it and the
 * "谁查看过 / Who viewed this" link to it narrowed to one customer (cases, customers and sales
 * show it beside a customer). The log's page itself is features/admin/pages/RecordViews.tsx.
 */
import { EyeOutlined } from '@ant-design/icons';
import { hasPermission } from '../../../domain/access.js';
import type { User } from '../api.js';
import { useI18n } from '../i18n.js';
import { Link } from '../router.js';

/** The same rule as the API (domain/access.ts canReadRecordViews): managers, and administrators at group scope. */
export function mayReadRecordViews(user: User): boolean {
  return hasPermission(user.role, 'record-views:read') && (user.role !== 'ADMIN' || user.scope.level === 'GROUP');
}

/** Where the console lists the views of one customer. */
export const whoViewedPath = (customerId: string) => `/record-views?customerId=${encodeURIComponent(customerId)}`;

/** "谁查看过 / Who viewed this": a link to the log narrowed to one customer, for those who may read it. */
export function WhoViewedLink({ customerId, testId }: { customerId: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <Link to={whoViewedPath(customerId)} className="btn btn-ghost btn-small" data-testid={testId ?? 'who-viewed'}>
      <EyeOutlined aria-hidden /> {t('recordViews.whoViewed')}
    </Link>
  );
}
