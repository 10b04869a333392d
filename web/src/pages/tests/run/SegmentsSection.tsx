/*
 * Segment breakdowns (age band, gender, income, country, occupation): one
 * question's mean or share of "yes" per group, with intervals; groups too
 * small to read much into in grey. On a plan without advanced_analytics the
 * report has none (segments_locked): an upgrade prompt says so.
 */
import { Box, Field, Flex, NativeSelect, SegmentGroup, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../api/auth';
import type { Report } from '../../../api/runs';
import { Card, CardHeader } from '../../../components/Card';
import { UpgradePrompt } from '../../../components/UpgradePrompt';
import {
  segmentBars,
  segmentExtremes,
  segmentQuestions,
  shareAxisMax,
  shareTicks,
} from './chartData';
import { formatDecimal, formatShare } from './format';
import { dimensionLabel, segmentValueLabel } from './labels';
import { Bars } from './RunCharts';

export function SegmentsSection({ report }: { report: Report }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const me = useMe();
  const segments = report.segments ?? [];
  const ids = segmentQuestions(segments);
  const [dimension, setDimension] = useState<string>(segments[0]?.dimension ?? '');
  const [question, setQuestion] = useState<string>(ids[0] ?? '');

  if (report.segments_locked || !report.segments) {
    return (
      <Card data-testid="segments">
        <CardHeader title={t('results.segments.title')} subtitle={t('results.segments.subtitle')} />
        <UpgradePrompt
          testId="segments-upgrade"
          title={t('results.segments.lockedTitle')}
          text={t('results.segments.lockedText', {
            plan: me.data ? t(`plans.${me.data.workspace.plan_type}`) : '',
          })}
          actionLabel={t('actions.upgrade')}
        />
      </Card>
    );
  }
  if (segments.length === 0 || ids.length === 0) {
    return (
      <Card data-testid="segments">
        <CardHeader title={t('results.segments.title')} subtitle={t('results.segments.subtitle')} />
        <Text color="fg.muted">{t('results.segments.none')}</Text>
      </Card>
    );
  }

  const seg = segments.find((s) => s.dimension === dimension) ?? segments[0];
  if (!seg) return null;
  const stat = report.questions.find((q) => q.id === question);
  const rating = stat?.kind === 'rating';
  const bars = segmentBars(seg, question).map((b) => ({
    ...b,
    label: segmentValueLabel(t, seg.dimension, b.label),
  }));
  const format = rating
    ? (v: number) => formatDecimal(v, lng, 2)
    : (v: number) => formatShare(v, lng);
  const ext = segmentExtremes(bars);
  const overall = rating ? stat?.mean : stat?.distribution?.find((d) => d.value === 'yes')?.share;

  return (
    <Card data-testid="segments">
      <CardHeader
        title={t('results.segments.title')}
        subtitle={t('results.segments.subtitle')}
        actions={
          <Field.Root w={{ base: '100%', sm: '260px' }}>
            <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
              {t('results.segments.question')}
            </Field.Label>
            <NativeSelect.Root size="sm">
              <NativeSelect.Field
                value={question}
                onChange={(e) => setQuestion(e.currentTarget.value)}
                data-testid="segment-question"
              >
                {ids.map((id) => (
                  <option key={id} value={id}>
                    {report.questions.find((q) => q.id === id)?.prompt ?? id}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </Field.Root>
        }
      />
      <Box overflowX="auto" mb="12px">
        <SegmentGroup.Root
          size="sm"
          value={seg.dimension}
          onValueChange={(e) => e.value && setDimension(e.value)}
          aria-label={t('results.segments.dimensionLabel')}
          data-testid="segment-dimensions"
        >
          <SegmentGroup.Indicator />
          <SegmentGroup.Items
            items={segments.map((s) => ({
              value: s.dimension,
              label: dimensionLabel(t, s.dimension, s.label),
            }))}
          />
        </SegmentGroup.Root>
      </Box>
      <Text fontSize="sm" color="gray.700" mb="4px">
        {rating
          ? t('results.segments.measureMean', {
              overall: overall !== undefined ? formatDecimal(overall, lng, 2) : '–',
            })
          : t('results.segments.measureShare', {
              overall: overall !== undefined ? formatShare(overall, lng) : '–',
            })}
      </Text>
      {ext ? (
        <Text fontSize="sm" color="gray.700" mb="8px" data-testid="segment-extremes">
          {t('results.segments.extremes', {
            high: ext.high.label,
            highValue: format(ext.high.value),
            low: ext.low.label,
            lowValue: format(ext.low.value),
          })}
        </Text>
      ) : null}
      <Bars
        data={bars}
        format={format}
        name={rating ? t('results.questions.mean') : t('results.segments.shareYes')}
        horizontal
        {...(rating ? {} : { ticks: shareTicks(shareAxisMax(bars)) })}
        domain={rating ? [stat?.scale?.min ?? 0, stat?.scale?.max ?? 10] : [0, shareAxisMax(bars)]}
        ariaLabel={t('results.segments.chartLabel', {
          dimension: dimensionLabel(t, seg.dimension, seg.label),
        })}
        testId="segment-chart"
      />
      <Flex gap="12px" mt="8px" wrap="wrap" fontSize="xs" color="fg.muted">
        <Flex align="center" gap="6px">
          <Box w="10px" h="10px" borderRadius="3px" bg="#B7C0CD" aria-hidden="true" />
          {t('results.segments.smallLegend')}
        </Flex>
        <Text>
          {t('results.segments.groups', {
            list: seg.groups
              .map((g) =>
                t('results.segments.groupN', {
                  group: segmentValueLabel(t, seg.dimension, g.value),
                  n: g.n,
                }),
              )
              .join(', '),
          })}
        </Text>
      </Flex>
    </Card>
  );
}
