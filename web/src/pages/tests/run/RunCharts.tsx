/*
 * The results' charts (recharts, in the shared "charts" chunk, loaded with
 * the results only): bars with their 95 % intervals as error bars, for a
 * question's answers, the variants side by side, segments and the funnel.
 */
import { Box } from '@chakra-ui/react';
import {
  Bar as RBar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { chart } from '../../../theme/tokens';
import type { Bar } from './chartData';

const tooltipStyle = {
  contentStyle: { background: '#1F2733', border: 'none', borderRadius: 12, color: '#fff' },
  itemStyle: { color: '#fff' },
  labelStyle: { color: '#E2E8F0' },
};

const MUTED = '#B7C0CD';

export interface BarsProps {
  data: Bar[];
  /** how a value reads (a share as 42 %, a mean as 4.6) */
  format: (v: number) => string;
  /** the series name in the tooltip */
  name: string;
  /** the value axis' domain; shares default to [0, 1] */
  domain?: [number, number];
  height?: number;
  /** the value axis' ticks (shares: even steps) */
  ticks?: number[];
  /** horizontal bars (long labels: options, segments, steps) */
  horizontal?: boolean;
  /** describes the chart to a screen reader */
  ariaLabel: string;
  testId?: string;
}

/** Bars with their intervals: teal, the highlighted one darker, small groups grey. */
export function Bars({
  data,
  format,
  name,
  domain = [0, 1],
  height,
  ticks,
  horizontal = false,
  ariaLabel,
  testId,
}: BarsProps) {
  const hasErr = data.some((d) => d.err);
  const longest = data.reduce((m, d) => Math.max(m, d.label.length), 0);
  const h = height ?? (horizontal ? Math.max(120, data.length * 38 + 30) : 220);
  const values = new Map(data.map((d) => [d.label, d.value]));
  const fill = (d: Bar) => (d.small ? MUTED : d.highlight ? chart.secondary : chart.primary);
  return (
    <Box h={`${h}px`} w="100%" role="img" aria-label={ariaLabel} data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%">
        {horizontal ? (
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 4, left: 4, bottom: 4 }}>
            <CartesianGrid strokeDasharray="5 5" stroke={chart.grid} horizontal={false} />
            <XAxis
              type="number"
              domain={domain}
              {...(ticks ? { ticks } : {})}
              tickFormatter={format}
              tick={{ fill: chart.axis, fontSize: 11 }}
              axisLine={false}
              tickLine={false}
            />
            <YAxis
              yAxisId="labels"
              type="category"
              dataKey="label"
              width={Math.min(180, Math.max(48, Math.round(longest * 7.4) + 14))}
              tick={{ fill: '#4A5568', fontSize: 12 }}
              axisLine={false}
              tickLine={false}
            />
            {/* the values as a column on the right, clear of the interval whiskers */}
            <YAxis
              yAxisId="values"
              orientation="right"
              type="category"
              dataKey="label"
              width={56}
              tickFormatter={(label: string) => {
                const v = values.get(label);
                return v === undefined ? '' : format(v);
              }}
              tick={{ fill: '#1F2733', fontSize: 12, fontWeight: 700 }}
              axisLine={false}
              tickLine={false}
            />
            <Tooltip
              {...tooltipStyle}
              cursor={{ fill: 'rgba(79, 209, 197, 0.08)' }}
              formatter={(v) => [format(Number(v)), name]}
            />
            <RBar
              yAxisId="labels"
              dataKey="value"
              name={name}
              radius={[0, 8, 8, 0]}
              maxBarSize={22}
              isAnimationActive={false}
            >
              {data.map((d) => (
                <Cell key={d.label} fill={fill(d)} />
              ))}
              {hasErr ? (
                <ErrorBar
                  dataKey="err"
                  width={4}
                  strokeWidth={1.5}
                  stroke="#4A5568"
                  direction="x"
                />
              ) : null}
            </RBar>
          </BarChart>
        ) : (
          <BarChart data={data} margin={{ top: 18, right: 8, left: 0, bottom: 0 }}>
            <CartesianGrid strokeDasharray="5 5" stroke={chart.grid} vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fill: '#4A5568', fontSize: 12 }}
              axisLine={false}
              tickLine={false}
              interval={0}
            />
            <YAxis
              domain={domain}
              {...(ticks ? { ticks } : {})}
              tickFormatter={format}
              tick={{ fill: chart.axis, fontSize: 11 }}
              axisLine={false}
              tickLine={false}
              width={52}
            />
            <Tooltip
              {...tooltipStyle}
              cursor={{ fill: 'rgba(79, 209, 197, 0.08)' }}
              formatter={(v) => [format(Number(v)), name]}
            />
            <RBar
              dataKey="value"
              name={name}
              radius={[8, 8, 0, 0]}
              maxBarSize={44}
              isAnimationActive={false}
            >
              {data.map((d) => (
                <Cell key={d.label} fill={fill(d)} />
              ))}
              {hasErr ? (
                <ErrorBar dataKey="err" width={6} strokeWidth={1.5} stroke="#4A5568" />
              ) : null}
              {hasErr ? null : (
                <LabelList
                  dataKey="value"
                  position="top"
                  formatter={(v) => format(Number(v))}
                  style={{ fill: '#1F2733', fontSize: 11, fontWeight: 700 }}
                />
              )}
            </RBar>
          </BarChart>
        )}
      </ResponsiveContainer>
    </Box>
  );
}
