/*
 * Every question's answers: a rating's distribution over its scale with the
 * mean and its 95 % interval and the top-two-box; yes/no and choices as
 * shares with their intervals; a ranking's first places and mean ranks;
 * open answers quoted. All answers together, or one scenario / variant /
 * journey step.
 */
import {
  Badge,
  Blockquote,
  Box,
  Field,
  Flex,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
} from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuestionStat, Report } from '../../../api/runs';
import { Card, CardHeader } from '../../../components/Card';
import {
  distributionBars,
  hasChart,
  meanRankBars,
  questionsIn,
  ratingSummary,
  scopesOf,
  shareAxisMax,
  shareTicks,
  topAnswer,
} from './chartData';
import { formatDecimal, formatShare } from './format';
import { Bars } from './RunCharts';

function RatingFigures({ q }: { q: QuestionStat }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const s = ratingSummary(q);
  if (!s) return null;
  const top = q.scale ? `${q.scale.max - 1}–${q.scale.max}` : '';
  return (
    <Flex gap="20px" wrap="wrap" align="flex-end" mb="8px">
      <Box>
        <Text fontSize="xs" color="fg.muted" fontWeight="bold">
          {t('results.questions.mean')}
        </Text>
        <Text
          fontSize="2xl"
          fontWeight="bold"
          color="gray.700"
          lineHeight="1.1"
          data-testid="question-mean"
        >
          {formatDecimal(s.mean, lng, 2)}
          <Text as="span" fontSize="sm" color="fg.muted" fontWeight="normal">
            {' '}
            {t('results.questions.outOf', { max: s.max })}
          </Text>
        </Text>
        {s.ci ? (
          <Text fontSize="xs" color="fg.muted">
            {t('results.questions.ci', {
              lo: formatDecimal(s.ci[0], lng, 2),
              hi: formatDecimal(s.ci[1], lng, 2),
            })}
          </Text>
        ) : null}
      </Box>
      {s.top2 !== null ? (
        <Box>
          <Text fontSize="xs" color="fg.muted" fontWeight="bold">
            {t('results.questions.top2')}
          </Text>
          <Text fontSize="lg" fontWeight="bold" color="gray.700" lineHeight="1.2">
            {formatShare(s.top2, lng)}
          </Text>
          <Text fontSize="xs" color="fg.muted">
            {t('results.questions.top2Hint', { points: top })}
          </Text>
        </Box>
      ) : null}
      {s.median !== null ? (
        <Box>
          <Text fontSize="xs" color="fg.muted" fontWeight="bold">
            {t('results.questions.median')}
          </Text>
          <Text fontSize="lg" fontWeight="bold" color="gray.700" lineHeight="1.2">
            {formatDecimal(s.median, lng, 1)}
          </Text>
          {s.sd !== null ? (
            <Text fontSize="xs" color="fg.muted">
              {t('results.questions.sd', { sd: formatDecimal(s.sd, lng, 2) })}
            </Text>
          ) : null}
        </Box>
      ) : null}
    </Flex>
  );
}

function QuestionCard({ q }: { q: QuestionStat }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const pct = (v: number) => formatShare(v, lng);
  const top = topAnswer(q);
  const bars = distributionBars(q);
  const horizontal = q.kind === 'choice' || q.kind === 'ranking';
  const answerLabel = (v: string) =>
    q.kind === 'yes_no' ? t(`results.questions.yesNo.${v}`, { defaultValue: v }) : v;
  return (
    <Box
      p="16px"
      borderRadius="12px"
      border="1px solid"
      borderColor="gray.100"
      data-testid="question"
      data-question={q.id}
      minW={0}
    >
      <Flex justify="space-between" gap="8px" align="flex-start" mb="8px">
        <Text as="h3" fontWeight="bold" color="gray.700">
          {q.prompt}
        </Text>
        <Badge variant="subtle" borderRadius="badge" textTransform="none" flexShrink={0}>
          {t(`results.questions.kind.${q.kind}`)}
        </Badge>
      </Flex>
      <Text fontSize="xs" color="fg.muted" mb="8px">
        {t('results.questions.n', { count: q.n })}
      </Text>
      {q.kind === 'rating' ? <RatingFigures q={q} /> : null}
      {top && q.kind !== 'ranking' ? (
        <Text fontSize="sm" color="gray.700" mb="4px" data-testid="top-answer">
          {top.tie
            ? t('results.questions.tie', {
                list: (q.distribution ?? [])
                  .filter((d) => d.share === top.share)
                  .map((d) =>
                    t('results.questions.tieItem', {
                      answer: answerLabel(String(d.value)),
                      share: pct(d.share),
                    }),
                  )
                  .join(', '),
              })
            : t('results.questions.topAnswer', {
                answer: answerLabel(top.value),
                share: pct(top.share),
              })}
        </Text>
      ) : null}
      {hasChart(q) ? (
        <Bars
          data={bars.map((b) => ({ ...b, label: answerLabel(b.label) }))}
          format={pct}
          name={t('results.questions.share')}
          horizontal={horizontal}
          domain={[0, shareAxisMax(bars)]}
          ticks={shareTicks(shareAxisMax(bars))}
          ariaLabel={t('results.questions.chartLabel', { question: q.prompt })}
          testId="distribution-chart"
        />
      ) : null}
      {q.kind === 'ranking' && q.mean_rank?.length ? (
        <Box mt="8px">
          <Text fontSize="xs" color="fg.muted" fontWeight="bold" mb="4px">
            {t('results.questions.meanRank')}
          </Text>
          <Stack gap="2px" as="ol" pl="18px">
            {meanRankBars(q).map((r) => (
              <Text as="li" key={r.label} fontSize="sm" color="gray.700">
                {t('results.questions.rankItem', {
                  option: r.label,
                  rank: formatDecimal(r.value, lng, 2),
                })}
              </Text>
            ))}
          </Stack>
        </Box>
      ) : null}
      {q.kind === 'text' ? (
        q.quotes?.length ? (
          <Stack gap="8px">
            {q.quotes.map((quote, i) => (
              <Blockquote.Root key={i} variant="plain" colorPalette="teal" fontSize="sm" py="2px">
                <Blockquote.Content color="gray.700" lineClamp={4} title={quote}>
                  {quote}
                </Blockquote.Content>
              </Blockquote.Root>
            ))}
          </Stack>
        ) : (
          <Text color="fg.muted" fontSize="sm">
            {t('results.questions.noQuotes')}
          </Text>
        )
      ) : null}
    </Box>
  );
}

export function QuestionsSection({
  report,
  scopeLabel,
}: {
  report: Report;
  scopeLabel: (key: string) => string;
}) {
  const { t } = useTranslation();
  const scopes = scopesOf(report);
  const [scope, setScope] = useState('');
  const questions = questionsIn(report, scope);
  return (
    <Card data-testid="questions">
      <CardHeader
        title={t('results.questions.title')}
        subtitle={t('results.questions.subtitle')}
        actions={
          scopes.length ? (
            <Field.Root w={{ base: '100%', sm: '260px' }}>
              <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
                {t('results.questions.scope')}
              </Field.Label>
              <NativeSelect.Root size="sm">
                <NativeSelect.Field
                  value={scope}
                  onChange={(e) => setScope(e.currentTarget.value)}
                  data-testid="scope-select"
                >
                  <option value="">{t('results.questions.allAnswers')}</option>
                  {scopes.map((s) => (
                    <option key={s.key} value={s.key}>
                      {t('results.questions.scopeOption', { label: scopeLabel(s.key), n: s.n })}
                    </option>
                  ))}
                </NativeSelect.Field>
                <NativeSelect.Indicator />
              </NativeSelect.Root>
            </Field.Root>
          ) : null
        }
      />
      {questions.length === 0 ? (
        <Text color="fg.muted">{t('results.questions.none')}</Text>
      ) : (
        <SimpleGrid columns={{ base: 1, lg: 2 }} gap="16px">
          {questions.map((q) => (
            <QuestionCard key={q.id} q={q} />
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
}
