/* The dashboard's charts (recharts), loaded with the dashboard as their own chunk. */
import { Box } from '@chakra-ui/react';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { chart } from '../../theme/tokens';
import type { ChartPoint } from './chartData';

export interface ActivityChartProps {
  data: ChartPoint[];
  testsLabel: string;
  answersLabel: string;
  height?: number;
}

/** Purity's "Sales overview": two smooth areas with a gradient fill fading downwards. */
export function ActivityChart({
  data,
  testsLabel,
  answersLabel,
  height = 260,
}: ActivityChartProps) {
  return (
    <Box h={`${height}px`} w="100%">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 10, right: 8, left: -16, bottom: 0 }}>
          <defs>
            <linearGradient id="fillAnswers" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor={chart.primary} stopOpacity={0.8} />
              <stop offset="100%" stopColor={chart.primary} stopOpacity={0} />
            </linearGradient>
            <linearGradient id="fillTests" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor={chart.secondary} stopOpacity={0.6} />
              <stop offset="100%" stopColor={chart.secondary} stopOpacity={0} />
            </linearGradient>
          </defs>
          <CartesianGrid strokeDasharray="5 5" stroke={chart.grid} vertical={false} />
          <XAxis
            dataKey="label"
            tick={{ fill: chart.axis, fontSize: 12 }}
            axisLine={false}
            tickLine={false}
            minTickGap={24}
          />
          <YAxis
            yAxisId="answers"
            allowDecimals={false}
            tick={{ fill: chart.axis, fontSize: 12 }}
            axisLine={false}
            tickLine={false}
          />
          <YAxis yAxisId="tests" orientation="right" hide allowDecimals={false} />
          <Tooltip
            contentStyle={{
              background: '#1F2733',
              border: 'none',
              borderRadius: 12,
              color: '#fff',
            }}
            itemStyle={{ color: '#fff' }}
            labelStyle={{ color: '#E2E8F0' }}
          />
          <Area
            yAxisId="answers"
            type="monotone"
            dataKey="answers"
            name={answersLabel}
            stroke={chart.primary}
            strokeWidth={3}
            fill="url(#fillAnswers)"
            isAnimationActive={false}
          />
          <Area
            yAxisId="tests"
            type="monotone"
            dataKey="tests"
            name={testsLabel}
            stroke={chart.secondary}
            strokeWidth={3}
            fill="url(#fillTests)"
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </Box>
  );
}

/** Purity's "Active users": white rounded bars on the navy gradient card. */
export function CostBars({
  data,
  costLabel,
  formatCost,
  height = 200,
  showAxis = true,
}: {
  data: ChartPoint[];
  costLabel: string;
  formatCost: (n: number) => string;
  height?: number;
  showAxis?: boolean;
}) {
  return (
    <Box h={`${height}px`} w="100%">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 10, right: 4, left: -8, bottom: 0 }}>
          <XAxis dataKey="label" hide />
          <YAxis
            hide={!showAxis}
            tick={{ fill: '#fff', fontSize: 11 }}
            axisLine={false}
            tickLine={false}
            width={56}
            tickFormatter={(v: number) => formatCost(v)}
          />
          <Tooltip
            cursor={{ fill: 'rgba(255,255,255,0.08)' }}
            contentStyle={{
              background: '#fff',
              border: 'none',
              borderRadius: 12,
              color: '#1F2733',
            }}
            formatter={(v) => [formatCost(Number(v)), costLabel]}
          />
          <Bar
            dataKey="cost"
            name={costLabel}
            fill="#fff"
            radius={[8, 8, 8, 8]}
            maxBarSize={12}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}
