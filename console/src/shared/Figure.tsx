/**
 * A number on a dashboard with its explanation: the figure opens an antd Tooltip on hover and on
 * keyboard focus (it is in the tab order), so what "40%" or "一半在 2 小时内" counts is one step
 * away for every user. `Kpi` is the headline version: a labelled antd Statistic whose value is a
 * Figure.
 */
import type { ReactNode } from 'react';
import { Card, Statistic, Tooltip } from 'antd';

export function Figure({ hint, children, testId, className }: { hint: ReactNode; children: ReactNode; testId?: string; className?: string }) {
  // While the tooltip shows, antd links it to the figure (aria-describedby): a screen reader reads both.
  return (
    <Tooltip title={hint} trigger={['hover', 'focus']}>
      <span
        className={className ? `figure ${className}` : 'figure'}
        tabIndex={0}
        data-figure=""
        data-testid={testId}
      >
        {children}
      </span>
    </Tooltip>
  );
}

export function Kpi({ label, value, hint, testId, detail, color }: { label: string; value: ReactNode; hint: ReactNode; testId?: string; detail?: ReactNode; color?: string }) {
  return (
    <Card size="small" className="kpi-card">
      <Statistic
        title={
          <span>
            {color ? <span className="legend-dot" aria-hidden="true" style={{ background: color }} /> : null}
            {label}
          </span>
        }
        valueRender={() => (
          <Figure hint={hint} testId={testId}>
            {value}
          </Figure>
        )}
      />
      {detail ? <div className="kpi-detail">{detail}</div> : null}
    </Card>
  );
}
