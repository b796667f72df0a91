import type { ReactNode } from 'react';
import { Card, ConfigProvider, Flex, Table, Typography, type TableColumnsType } from 'antd';
import { useI18n } from '../../../i18n.js';

/**
 * A report page's frame: its sections stacked, and antd's description grey (#8c8c8c, 3.4:1 on
 * white) darkened to 4.5:1 or more for the captions of figures (Statistic titles, secondary text).
 */
const READABLE = { token: { colorTextDescription: 'rgba(0, 0, 0, 0.65)', colorTextTertiary: 'rgba(0, 0, 0, 0.65)' } };

export function ReportPage({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <ConfigProvider theme={READABLE}>
      <Flex vertical gap={16} className="report-page" data-testid={testId}>
        {children}
      </Flex>
    </ConfigProvider>
  );
}

/**
 * A report's table of groups under its title: the rows, the total last (set apart by `totalKey`),
 * no paging, "no data" when empty. The table's box scrolls sideways on a narrow screen and takes
 * the keyboard's focus, named by the title.
 */
export function ReportTable<R extends { key: string | null }>({
  title,
  testId,
  columns,
  rows,
  totalKey,
  loading,
  extra,
  note,
}: {
  title: ReactNode;
  /** Beside the title (a download of this table). */
  extra?: ReactNode;
  /** Above the table (what it leaves out). */
  note?: ReactNode;
  testId: string;
  columns: TableColumnsType<R>;
  rows: readonly R[];
  totalKey: string;
  loading: boolean;
}) {
  const { t } = useI18n();
  return (
    <Card title={title} extra={extra}>
      {note}
      {/* Focusable, so a keyboard can scroll a table wider than a phone (axe: scrollable-region-focusable). */}
      <div className="report-table" tabIndex={0} role="region" aria-label={typeof title === 'string' ? title : undefined}>
        <Table<R>
          data-testid={testId}
          size="small"
          columns={columns}
          dataSource={rows as R[]}
          rowKey={(r) => r.key ?? '__none__'}
          rowClassName={(r) => (r.key === totalKey ? 'report-total-row' : '')}
          loading={loading}
          pagination={false}
          locale={{ emptyText: <Typography.Text type="secondary">{t('report.noData')}</Typography.Text> }}
        />
      </div>
    </Card>
  );
}
