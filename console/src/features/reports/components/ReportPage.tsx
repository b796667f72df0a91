import type { ReactNode } from 'react';
import { ConfigProvider, Flex } from 'antd';

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
