/*
 * A/B/n: the variants side by side per question, with a winner only when
 * the report names one, and the statistics said in words - how big the
 * difference is, how likely it is to be chance, how large the effect.
 */
import { Alert, Badge, Box, Flex, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import type { Comparison, Report } from '../../../api/runs';
import type { Test } from '../../../api/tests';
import { Card, CardHeader } from '../../../components/Card';
import { comparisonBars, comparisonsByScenario, shareAxisMax, shareTicks } from './chartData';
import { formatDecimal, formatShare } from './format';
import { comparisonDetails, readingSentences } from './readings';
import { Bars } from './RunCharts';

function ComparisonCard({
  c,
  prompt,
  scaleMax,
  scaleMin,
}: {
  c: Comparison;
  prompt: string;
  scaleMin: number | undefined;
  scaleMax: number | undefined;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const rating = c.kind === 'rating';
  const scale = scaleMin !== undefined && scaleMax !== undefined ? `${scaleMin}–${scaleMax}` : '';
  const s = readingSentences(t, c, lng, scale);
  const bars = comparisonBars(c);
  const format = rating
    ? (v: number) => formatDecimal(v, lng, 2)
    : (v: number) => formatShare(v, lng);
  return (
    <Box
      p="16px"
      borderRadius="12px"
      border="1px solid"
      borderColor={c.significant ? 'green.200' : 'gray.100'}
      data-testid="comparison"
      data-question={c.question}
    >
      <Flex justify="space-between" gap="8px" align="flex-start" wrap="wrap">
        <Box minW={0} flex="1">
          <Text as="h3" fontWeight="bold" color="gray.700">
            {prompt}
          </Text>
          <Text fontSize="xs" color="fg.muted">
            {rating
              ? t('results.variants.measureMean', { scale })
              : t('results.variants.measureShare', { answer: c.share_of ?? '' })}
          </Text>
        </Box>
        <Badge
          colorPalette={c.significant ? 'green' : 'gray'}
          variant="subtle"
          borderRadius="badge"
          textTransform="none"
        >
          {c.significant ? t('results.variants.significant') : t('results.variants.notSignificant')}
        </Badge>
      </Flex>
      <Bars
        data={bars}
        format={format}
        name={rating ? t('results.questions.mean') : t('results.questions.share')}
        domain={
          rating
            ? [scaleMin ?? 0, scaleMax ?? Math.max(1, ...bars.map((b) => b.value))]
            : [0, shareAxisMax(bars)]
        }
        {...(rating ? {} : { ticks: shareTicks(shareAxisMax(bars)) })}
        height={180}
        ariaLabel={t('results.variants.chartLabel', { question: prompt })}
      />
      <Stack gap="4px" mt="8px" fontSize="sm" color="gray.700">
        <Text fontWeight="bold" data-testid="comparison-headline">
          {s.headline}
        </Text>
        <Text>{s.difference}</Text>
        <Text>{s.chance}</Text>
        <Text>{s.effect}</Text>
        <Text fontSize="xs" color="fg.muted">
          {comparisonDetails(t, c, lng)}
        </Text>
      </Stack>
    </Box>
  );
}

export function VariantsSection({ report, test }: { report: Report; test: Test | undefined }) {
  const { t } = useTranslation();
  const groups = comparisonsByScenario(report);
  if (groups.length === 0) return null;
  const question = (id: string) => report.questions.find((q) => q.id === id);
  const winner = report.winner;
  const primary = report.comparisons[0];
  return (
    <Card data-testid="variants">
      <CardHeader title={t('results.variants.title')} subtitle={t('results.variants.subtitle')} />
      {winner ? (
        <Alert.Root status="success" borderRadius="12px" mb="16px" data-testid="winner">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title fontWeight="bold">
              {t('results.variants.winnerTitle', { winner })}
            </Alert.Title>
            <Alert.Description>
              {primary
                ? t('results.variants.winnerText', {
                    question: question(primary.question)?.prompt ?? primary.question,
                  })
                : null}
            </Alert.Description>
          </Alert.Content>
        </Alert.Root>
      ) : (
        <Alert.Root status="info" borderRadius="12px" mb="16px" data-testid="no-winner">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title fontWeight="bold">{t('results.variants.noWinnerTitle')}</Alert.Title>
            <Alert.Description>{t('results.variants.noWinnerText')}</Alert.Description>
          </Alert.Content>
        </Alert.Root>
      )}
      <Stack gap="20px">
        {groups.map((g) => {
          const sc = test?.config.scenarios.find((s) => s.id === g.scenario);
          const title = report.scenarios.find((s) => s.id === g.scenario)?.title ?? g.scenario;
          return (
            <Box key={g.scenario}>
              {groups.length > 1 ? (
                <Text fontWeight="bold" color="gray.700" mb="8px">
                  {title}
                </Text>
              ) : null}
              {sc?.variants?.length ? (
                <SimpleGrid
                  columns={{ base: 1, md: sc.variants.length > 2 ? 3 : 2 }}
                  gap="8px"
                  mb="12px"
                >
                  {sc.variants.map((v) => (
                    <Box key={v.id} bg="gray.50" borderRadius="12px" p="10px" fontSize="sm">
                      <Text fontWeight="bold" color="gray.700">
                        {t('results.labels.variant', { variant: v.id })}
                      </Text>
                      <Text color="gray.700" lineClamp={3} title={v.stimulus}>
                        {v.stimulus}
                      </Text>
                    </Box>
                  ))}
                </SimpleGrid>
              ) : null}
              <SimpleGrid columns={{ base: 1, lg: 2 }} gap="16px">
                {g.items.map((c) => {
                  const q = question(c.question);
                  return (
                    <ComparisonCard
                      key={`${c.scenario}/${c.question}`}
                      c={c}
                      prompt={q?.prompt ?? c.question}
                      scaleMin={q?.scale?.min}
                      scaleMax={q?.scale?.max}
                    />
                  );
                })}
              </SimpleGrid>
            </Box>
          );
        })}
      </Stack>
    </Card>
  );
}
