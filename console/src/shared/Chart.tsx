/**
 * Charts on Apache ECharts, the library Chinese enterprise dashboards are built on. Only what the
 * console draws is registered on `echarts/core` (bar and line charts, the grid, tooltip and legend,
 * the canvas renderer), so the bundle carries those and nothing else; this module is imported only
 * by report pages, which are lazily loaded routes, so ECharts never enters the first load.
 *
 * Each chart resizes with its container and is named for screen readers: the canvas is hidden from
 * them (it says nothing) and the same figures follow as a visually hidden table (`data`), which is
 * also what tests read.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** What a chart may be given: the options of the registered charts and components only. */
export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/** The same figures as a table, for screen readers (and tests): one header row, then a row per item. */
export interface ChartData {
  columns: readonly string[];
  rows: readonly { key: string; cells: readonly ReactNode[]; attrs?: Record<`data-${string}`, string | number> }[];
}

/** The console's chart palette (antd's blue, green, gold, red, grey and cyan), in series order. */
export const CHART_COLORS = {
  blue: '#1677ff',
  green: '#389e0d',
  gold: '#d48806',
  red: '#cf1322',
  grey: '#8c8c8c',
  cyan: '#08979c',
  ink: '#1f1f1f',
} as const;

export function Chart({
  option,
  label,
  data,
  height = 260,
  testId,
}: {
  option: ChartOption;
  /** What the chart shows, in words: its accessible name. */
  label: string;
  data: ChartData;
  height?: number;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animationDuration: 300, textStyle: { fontFamily: 'inherit' }, ...option }, { notMerge: true });
  }, [option]);

  return (
    <figure className="chart-figure" role="figure" aria-label={label} data-testid={testId}>
      <div ref={host} className="chart-canvas" style={{ height }} aria-hidden="true" />
      {/* A table ignores a 1 px width: the wrapper is what is hidden and clipped. */}
      <div className="visually-hidden">
      <table>
        <caption>{label}</caption>
        <thead>
          <tr>
            {data.columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r) => (
            <tr key={r.key} {...r.attrs}>
              {r.cells.map((c, i) =>
                i === 0 ? (
                  <th key={i} scope="row">
                    {c}
                  </th>
                ) : (
                  <td key={i}>{c}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
