/*
 * The sampling plan the model made, on screen: from a dry run of
 * POST /api/personas/generate, the groups it planned with their people,
 * then the people it drew counted per dimension (its shares beside them),
 * what planning cost, and the offline model's label; after generating,
 * the people drawn next to the personas made.
 */
import {
  Badge,
  Box,
  Button,
  Flex,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GenerateResult } from '../../api/personas';
import { OfflineModelBadge } from '../../components/Badges';
import { formatNumber, formatUsd } from '../../lib/format';
import { countryChoice, humanise, summariseDraws, type DimensionSpread } from './samplingPlan';

/** how many groups and dimensions show before "show all" */
const GROUPS_SHOWN = 8;
const DIMENSIONS_SHOWN = 4;

/** A dimension's name and its values in the reader's words (the model's own when none). */
function useLabels() {
  const { t, i18n } = useTranslation();
  return {
    dimension: (name: string): string =>
      i18n.exists(`generate.dimension.${name}`) ? t(`generate.dimension.${name}`) : humanise(name),
    value: (d: Pick<DimensionSpread, 'name' | 'kind'>, value: string): string => {
      if (d.kind === 'range') {
        const m = /^(\d+)-(\d+)$/.exec(value);
        return m ? t('generate.plan.band', { from: m[1], to: m[2] }) : value;
      }
      const country = d.name === 'country' ? countryChoice(value) : null;
      return country ? t(`generate.countries.${country}`, { defaultValue: value }) : value;
    },
  };
}

function pct(share: number): number {
  return Math.round(share * 1000) / 10;
}

function ShowMore({
  open,
  onToggle,
  more,
  less,
  testId,
}: {
  open: boolean;
  onToggle: () => void;
  more: string;
  less: string;
  testId?: string;
}) {
  return (
    <Button
      size="xs"
      variant="ghost"
      color="teal.700"
      px="4px"
      alignSelf="flex-start"
      aria-expanded={open}
      onClick={onToggle}
      data-testid={testId}
    >
      {open ? less : more}
    </Button>
  );
}

/** The groups the model planned, with the people in each (after the repair to the count). */
function Groups({ result }: { result: GenerateResult }) {
  const { t, i18n } = useTranslation();
  const [all, setAll] = useState(false);
  const groups = result.plan.groups;
  const shown = all ? groups : groups.slice(0, GROUPS_SHOWN);
  return (
    <Stack gap="6px">
      <Box overflowX="auto">
        <Table.Root size="sm" variant="outline" fontSize="sm" data-testid="plan-groups">
          <Table.Caption
            captionSide="top"
            textAlign="start"
            color="gray.700"
            fontWeight="bold"
            mb="6px"
          >
            {t('generate.plan.groupsTitle')}
          </Table.Caption>
          <Table.Header>
            <Table.Row bg="white">
              <Table.ColumnHeader color="fg.muted" w="32px">
                #
              </Table.ColumnHeader>
              <Table.ColumnHeader color="fg.muted">{t('generate.plan.group')}</Table.ColumnHeader>
              <Table.ColumnHeader color="fg.muted" textAlign="end">
                {t('generate.plan.people')}
              </Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {shown.map((g, i) => (
              <Table.Row key={i} data-testid="plan-group" bg="white">
                <Table.Cell color="fg.muted" verticalAlign="top">
                  {i + 1}
                </Table.Cell>
                <Table.Cell color="gray.700" fontSize="xs" verticalAlign="top">
                  {g.description}
                </Table.Cell>
                <Table.Cell textAlign="end" verticalAlign="top" whiteSpace="nowrap">
                  <Text as="span" fontWeight="bold" data-testid="plan-group-quantity">
                    {formatNumber(g.quantity, i18n.language)}
                  </Text>
                  {g.planned !== g.quantity ? (
                    <Text as="span" display="block" fontSize="xs" color="fg.muted">
                      {t('generate.plan.planned', { planned: g.planned })}
                    </Text>
                  ) : null}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      </Box>
      {groups.length > GROUPS_SHOWN ? (
        <ShowMore
          open={all}
          onToggle={() => setAll((x) => !x)}
          more={t('generate.plan.allGroups', { count: groups.length })}
          less={t('generate.plan.fewerGroups')}
        />
      ) : null}
    </Stack>
  );
}

/** One dimension: each value with the people drawn with it and the model's share. */
function Spread({ dim }: { dim: DimensionSpread }) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const title = labels.dimension(dim.name);
  // bars against the largest value, so small panels still read
  const most = Math.max(1, ...dim.rows.map((r) => r.count));
  return (
    <Box data-testid={`plan-dimension-${dim.name}`}>
      <Flex align="baseline" gap="6px" mb="6px" wrap="wrap">
        <Text fontSize="sm" fontWeight="bold" color="gray.700">
          {title}
        </Text>
        {dim.kind === 'range' && dim.min !== undefined && dim.max !== undefined ? (
          <Text fontSize="xs" color="fg.muted">
            {t('generate.plan.range', { min: dim.min, max: dim.max })}
          </Text>
        ) : null}
      </Flex>
      <Stack gap="4px" as="ul" listStyleType="none" m={0} p={0} aria-label={title}>
        {dim.rows.map((r) => {
          const label = labels.value(dim, r.value);
          const part = r.count / most;
          return (
            <Flex
              as="li"
              key={r.value}
              align="center"
              gap="8px"
              fontSize="sm"
              data-testid="plan-value"
              data-value={r.value}
              data-count={r.count}
            >
              <Text flex="0 0 38%" color="gray.700" truncate title={label}>
                {label}
              </Text>
              <Progress.Root
                value={pct(part)}
                max={100}
                size="xs"
                colorPalette="teal"
                flex="1"
                aria-label={label}
              >
                <Progress.Track borderRadius="full" bg="gray.200">
                  <Progress.Range />
                </Progress.Track>
              </Progress.Root>
              <Text w="96px" textAlign="end" color="gray.700" whiteSpace="nowrap">
                <Text as="span" fontWeight="bold">
                  {formatNumber(r.count, i18n.language)}
                </Text>
                {r.share !== null ? (
                  <Text as="span" color="fg.muted" fontSize="xs">
                    {' '}
                    {t('generate.plan.share', {
                      value: formatNumber(pct(r.share), i18n.language),
                    })}
                  </Text>
                ) : null}
              </Text>
            </Flex>
          );
        })}
      </Stack>
    </Box>
  );
}

/** A dry run's answer: the plan and the draws Generate will follow. */
export function SamplingPlanView({ result }: { result: GenerateResult }) {
  const { t, i18n } = useTranslation();
  const [allDims, setAllDims] = useState(false);
  const count = result.samples.length;
  const spread = summariseDraws(result.plan, result.samples);
  const dims = allDims ? spread : spread.slice(0, DIMENSIONS_SHOWN);
  const u = result.usage;
  return (
    <Stack gap="16px" data-testid="sampling-plan">
      <Box>
        <Text fontSize="sm" fontWeight="bold" color="gray.700" data-testid="plan-summary">
          {t('generate.plan.summary', {
            count,
            formatted: formatNumber(count, i18n.language),
            groups: result.plan.groups.length,
          })}
        </Text>
        <Flex gap="6px" wrap="wrap" align="center" mt="2px" fontSize="xs" color="fg.muted">
          <Text data-testid="plan-usage">
            {u
              ? t('generate.plan.usage', {
                  count: u.calls ?? 0,
                  calls: formatNumber(u.calls ?? 0, i18n.language),
                  cost: formatUsd(u.cost_usd, i18n.language),
                })
              : null}
            {u ? ' · ' : null}
            {t('generate.result.seed', { seed: result.seed })}
          </Text>
          <OfflineModelBadge size="xs" />
        </Flex>
      </Box>
      <Groups result={result} />
      <Stack gap="14px">
        <Box>
          <Text fontSize="sm" fontWeight="bold" color="gray.700">
            {t('generate.plan.drawsTitle')}
          </Text>
          <Text fontSize="xs" color="fg.muted">
            {t('generate.plan.drawsText')}
          </Text>
        </Box>
        {dims.map((d) => (
          <Spread key={d.name} dim={d} />
        ))}
        {spread.length > DIMENSIONS_SHOWN ? (
          <ShowMore
            open={allDims}
            onToggle={() => setAllDims((x) => !x)}
            more={t('generate.plan.moreDimensions', { count: spread.length - DIMENSIONS_SHOWN })}
            less={t('generate.plan.fewerDimensions')}
            testId="plan-more-dimensions"
          />
        ) : null}
      </Stack>
    </Stack>
  );
}

/** The people the preview drew next to the personas made from them, per dimension. */
export function PlannedVsMade({
  preview,
  result,
}: {
  preview: GenerateResult;
  result: GenerateResult;
}) {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const [all, setAll] = useState(false);
  const planned = summariseDraws(preview.plan, preview.samples);
  const made = summariseDraws(
    result.plan,
    result.samples.filter((s) => !!s.persona_id),
  );
  // the dimensions that split the people (more than one value drawn or planned)
  const dims = planned.filter((d) => d.rows.filter((r) => r.count > 0).length > 1);
  const shown = all ? dims : dims.slice(0, DIMENSIONS_SHOWN);
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <Stack gap="12px">
      <SimpleGrid columns={{ base: 1, md: 2 }} gap="16px" data-testid="planned-vs-made">
        {shown.map((d) => {
          const m = made.find((x) => x.name === d.name);
          const madeBy = new Map((m?.rows ?? []).map((r) => [r.value, r.count]));
          const values = [
            ...d.rows.map((r) => r.value),
            ...(m?.rows ?? [])
              .map((r) => r.value)
              .filter((v) => !d.rows.some((r) => r.value === v)),
          ].filter((v) => (d.rows.find((r) => r.value === v)?.count ?? 0) + (madeBy.get(v) ?? 0));
          return (
            <Box key={d.name} overflowX="auto">
              <Table.Root size="sm" variant="outline" fontSize="sm">
                <Table.Header>
                  <Table.Row bg="gray.50">
                    <Table.ColumnHeader color="fg.muted">
                      {labels.dimension(d.name)}
                    </Table.ColumnHeader>
                    <Table.ColumnHeader color="fg.muted" textAlign="end">
                      {t('generate.result.planned')}
                    </Table.ColumnHeader>
                    <Table.ColumnHeader color="fg.muted" textAlign="end">
                      {t('generate.result.made')}
                    </Table.ColumnHeader>
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {values.map((v) => {
                    const p = d.rows.find((r) => r.value === v)?.count ?? 0;
                    const q = madeBy.get(v) ?? 0;
                    return (
                      <Table.Row key={v}>
                        <Table.Cell as="th" scope="row" color="gray.700" fontWeight="normal">
                          {labels.value(d, v)}
                        </Table.Cell>
                        <Table.Cell textAlign="end" color="fg.muted">
                          {n(p)}
                        </Table.Cell>
                        <Table.Cell textAlign="end" fontWeight="bold" color="gray.700">
                          {n(q)}
                          {q !== p ? (
                            <Badge
                              ms="6px"
                              size="xs"
                              colorPalette="orange"
                              variant="subtle"
                              textTransform="none"
                            >
                              {q > p ? `+${n(q - p)}` : `−${n(p - q)}`}
                            </Badge>
                          ) : null}
                        </Table.Cell>
                      </Table.Row>
                    );
                  })}
                </Table.Body>
              </Table.Root>
            </Box>
          );
        })}
      </SimpleGrid>
      {dims.length > DIMENSIONS_SHOWN ? (
        <ShowMore
          open={all}
          onToggle={() => setAll((x) => !x)}
          more={t('generate.plan.moreDimensions', { count: dims.length - DIMENSIONS_SHOWN })}
          less={t('generate.plan.fewerDimensions')}
        />
      ) : null}
    </Stack>
  );
}
