/*
 * A sampling plan on screen: the grid of the two dimensions that split the
 * panel (people per cell, with totals), then each other dimension's
 * shares; after a generation, what was planned next to what was made.
 */
import { Badge, Box, Flex, Progress, Stack, Table, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import type { GenerateResult } from '../../api/personas';
import { formatNumber } from '../../lib/format';
import {
  realisedCounts,
  type DimensionId,
  type PlanDimension,
  type PlanValue,
  type SamplingPlan,
} from './samplingPlan';

/** A plan value in the reader's language. */
function useValueLabel() {
  const { t } = useTranslation();
  return (dim: DimensionId, v: { key: string; label: string }): string => {
    switch (dim) {
      case 'country':
        return t(`generate.countries.${v.key}`, { defaultValue: v.label });
      case 'age': {
        const m = /^(\d+)-(\d+)$/.exec(v.key);
        return m ? t('generate.plan.ageBand', { from: m[1], to: m[2] }) : v.label;
      }
      case 'gender':
        return t(`personas.gender.${v.key}`, { defaultValue: v.label });
      case 'income':
        return t(`personas.income.${v.key}`, { defaultValue: v.label });
      case 'life':
        return t(`generate.lifeValue.${v.key}`, { defaultValue: v.label });
      case 'setting':
        return t(`generate.setting.${v.key}`, { defaultValue: v.label });
      default:
        return v.label;
    }
  };
}

function pct(share: number): number {
  return Math.round(share * 1000) / 10;
}

function Grid({ plan }: { plan: SamplingPlan }) {
  const { t, i18n } = useTranslation();
  const label = useValueLabel();
  const grid = plan.grid;
  if (!grid) return null;
  const [rowDim, colDim] = plan.axes as [DimensionId, DimensionId | undefined];
  const rows = grid.rows
    .map((r, i) => ({ r, cells: grid.cells[i] ?? [] }))
    .filter((x) => x.r.count > 0 || grid.rows.length <= 8);
  const hidden = grid.rows.length - rows.length;
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <Box overflowX="auto" data-testid="plan-grid">
      <Table.Root size="sm" variant="outline" borderRadius="12px" fontSize="sm">
        <Table.Caption captionSide="top" textAlign="start" color="fg.muted" fontSize="xs" mb="6px">
          {colDim
            ? t('generate.plan.gridCaption', {
                rows: t(`generate.dimension.${rowDim}`),
                cols: t(`generate.dimension.${colDim}`),
              })
            : t('generate.plan.oneAxisCaption', { rows: t(`generate.dimension.${rowDim}`) })}
        </Table.Caption>
        <Table.Header>
          <Table.Row bg="gray.50">
            <Table.ColumnHeader color="fg.muted">
              {t(`generate.dimension.${rowDim}`)}
            </Table.ColumnHeader>
            {colDim
              ? grid.cols.map((c) => (
                  <Table.ColumnHeader
                    key={c.key}
                    color="fg.muted"
                    textAlign="end"
                    whiteSpace="nowrap"
                  >
                    {label(colDim, c)}
                  </Table.ColumnHeader>
                ))
              : null}
            <Table.ColumnHeader color="fg.muted" textAlign="end">
              {t('generate.plan.total')}
            </Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {rows.map(({ r, cells }) => (
            <Table.Row key={r.key} data-testid="plan-row">
              <Table.Cell
                as="th"
                scope="row"
                fontWeight="bold"
                color="gray.700"
                whiteSpace="nowrap"
              >
                {label(rowDim, r)}
              </Table.Cell>
              {colDim
                ? cells.map((c, i) => (
                    <Table.Cell key={i} textAlign="end" color={c ? 'gray.700' : 'fg.muted'}>
                      {n(c)}
                    </Table.Cell>
                  ))
                : null}
              <Table.Cell textAlign="end" fontWeight="bold">
                {n(r.count)}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
        {colDim ? (
          <Table.Footer>
            <Table.Row bg="gray.50">
              <Table.Cell as="th" scope="row" color="fg.muted">
                {t('generate.plan.total')}
              </Table.Cell>
              {grid.cols.map((c) => (
                <Table.Cell key={c.key} textAlign="end" fontWeight="bold">
                  {n(c.count)}
                </Table.Cell>
              ))}
              <Table.Cell textAlign="end" fontWeight="bold" data-testid="plan-total">
                {n(plan.count)}
              </Table.Cell>
            </Table.Row>
          </Table.Footer>
        ) : null}
      </Table.Root>
      {hidden > 0 ? (
        <Text fontSize="xs" color="fg.muted" mt="4px">
          {t('generate.plan.hiddenRows', {
            count: hidden,
            dimension: t(`generate.dimension.${rowDim}`),
          })}
        </Text>
      ) : null}
    </Box>
  );
}

function Shares({ dim }: { dim: PlanDimension }) {
  const { t, i18n } = useTranslation();
  const label = useValueLabel();
  return (
    <Box data-testid={`plan-dimension-${dim.id}`}>
      <Flex align="center" gap="6px" mb="6px">
        <Text fontSize="sm" fontWeight="bold" color="gray.700">
          {t(`generate.dimension.${dim.id}`)}
        </Text>
        {dim.exact ? (
          <Badge colorPalette="green" variant="subtle" size="xs" textTransform="none">
            {t('generate.plan.exact')}
          </Badge>
        ) : dim.status === 'known' ? (
          <Badge colorPalette="gray" variant="subtle" size="xs" textTransform="none">
            {t('generate.plan.approx')}
          </Badge>
        ) : null}
      </Flex>
      {dim.status === 'model' ? (
        <Text fontSize="sm" color="fg.muted">
          {t('generate.plan.byModel')}
        </Text>
      ) : (
        <Stack gap="4px">
          {dim.values.map((v: PlanValue) => (
            <Flex key={v.key} align="center" gap="8px" fontSize="sm">
              <Text flex="0 0 40%" color="gray.700" truncate title={label(dim.id, v)}>
                {label(dim.id, v)}
              </Text>
              <Progress.Root value={pct(v.share)} max={100} size="xs" colorPalette="teal" flex="1">
                <Progress.Track borderRadius="full">
                  <Progress.Range />
                </Progress.Track>
              </Progress.Root>
              <Text w="92px" textAlign="end" color="gray.700" whiteSpace="nowrap">
                {dim.exact
                  ? formatNumber(v.count, i18n.language)
                  : t('generate.plan.about', { count: v.count })}
                <Text as="span" color="fg.muted" fontSize="xs">
                  {' '}
                  (
                  {t('generate.plan.percent', { value: formatNumber(pct(v.share), i18n.language) })}
                  )
                </Text>
              </Text>
            </Flex>
          ))}
        </Stack>
      )}
    </Box>
  );
}

export function SamplingPlanView({ plan }: { plan: SamplingPlan }) {
  const { t, i18n } = useTranslation();
  const others = plan.dimensions.filter((d) => !plan.axes.includes(d.id));
  return (
    <Stack gap="16px" data-testid="sampling-plan">
      <Text fontSize="sm" color="gray.700" data-testid="plan-summary">
        {plan.groups !== null
          ? t('generate.plan.summary', {
              count: plan.count,
              formatted: formatNumber(plan.count, i18n.language),
              groups: plan.groups,
            })
          : t('generate.plan.summaryModel', {
              count: plan.count,
              formatted: formatNumber(plan.count, i18n.language),
            })}
      </Text>
      {plan.addedByRegion.length ? (
        <Text fontSize="xs" color="orange.800" bg="orange.50" borderRadius="8px" px="10px" py="6px">
          {t('generate.plan.addedByRegion', {
            countries: plan.addedByRegion
              .map((c) => t(`generate.countries.${c}`, { defaultValue: c }))
              .join(', '),
          })}
        </Text>
      ) : null}
      {plan.grid ? (
        <Grid plan={plan} />
      ) : (
        plan.axes.map((a) => {
          const d = plan.dimensions.find((x) => x.id === a);
          return d ? <Shares key={a} dim={d} /> : null;
        })
      )}
      {others.map((d) => (
        <Shares key={d.id} dim={d} />
      ))}
    </Stack>
  );
}

/** Planned against made, per dimension of the plan, after a generation. */
export function PlannedVsMade({ plan, result }: { plan: SamplingPlan; result: GenerateResult }) {
  const { t, i18n } = useTranslation();
  const label = useValueLabel();
  const dims = plan.dimensions.filter((d) => d.status === 'known' && d.values.length > 1);
  return (
    <Stack gap="16px" data-testid="planned-vs-made">
      {dims.map((d) => {
        const made = realisedCounts(d, result);
        const planned = new Map(d.values.map((v) => [v.key, v.count]));
        const rows = made.filter((m) => m.count > 0 || (planned.get(m.key) ?? 0) > 0);
        if (!rows.length) return null;
        return (
          <Box key={d.id} overflowX="auto">
            <Table.Root size="sm" variant="outline" fontSize="sm">
              <Table.Header>
                <Table.Row bg="gray.50">
                  <Table.ColumnHeader color="fg.muted">
                    {t(`generate.dimension.${d.id}`)}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader color="fg.muted" textAlign="end">
                    {d.exact ? t('generate.result.planned') : t('generate.result.expected')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader color="fg.muted" textAlign="end">
                    {t('generate.result.made')}
                  </Table.ColumnHeader>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {rows.map((m) => {
                  const p = planned.get(m.key);
                  return (
                    <Table.Row key={m.key}>
                      <Table.Cell as="th" scope="row" color="gray.700">
                        {label(d.id, m)}
                      </Table.Cell>
                      <Table.Cell textAlign="end" color="fg.muted">
                        {p === undefined
                          ? '—'
                          : d.exact
                            ? formatNumber(p, i18n.language)
                            : t('generate.plan.about', { count: p })}
                      </Table.Cell>
                      <Table.Cell textAlign="end" fontWeight="bold" color="gray.700">
                        {formatNumber(m.count, i18n.language)}
                      </Table.Cell>
                    </Table.Row>
                  );
                })}
              </Table.Body>
            </Table.Root>
          </Box>
        );
      })}
    </Stack>
  );
}
