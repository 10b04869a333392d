/*
 * What the personas talked about: the themes the model found in their own
 * words, with how often each came up, its sentiment and a few quotes; and a
 * focus group's discussion as it was said.
 */
import { Badge, Blockquote, Box, Button, Flex, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Report, TranscriptLine } from '../../../api/runs';
import { Card, CardHeader } from '../../../components/Card';
import { PersonaAvatar } from '../../../components/PersonaAvatar';
import { sentimentTotals, themeRows, type Sentiment } from './chartData';
import { formatShare } from './format';
import { SENTIMENT_PALETTE } from './labels';

const BAR: Record<Sentiment, string> = {
  positive: 'green.400',
  negative: 'red.400',
  neutral: 'gray.300',
};

export function ThemesSection({ report }: { report: Report }) {
  const { t, i18n } = useTranslation();
  const rows = themeRows(report);
  const totals = sentimentTotals(rows);
  const all = totals.positive + totals.negative + totals.neutral;
  const sentiments: Sentiment[] = ['positive', 'negative', 'neutral'];
  return (
    <Card data-testid="themes">
      <CardHeader title={t('results.themes.title')} subtitle={t('results.themes.subtitle')} />
      {report.themes_error ? (
        <Text color="fg.muted" mb="12px">
          {t('results.themes.error', { reason: report.themes_error })}
        </Text>
      ) : null}
      {rows.length === 0 ? (
        <Text color="fg.muted">{t('results.themes.none')}</Text>
      ) : (
        <>
          <Box mb="16px">
            <Flex
              h="12px"
              borderRadius="full"
              overflow="hidden"
              bg="gray.100"
              role="img"
              aria-label={t('results.themes.sentimentLabel', {
                positive: formatShare(all ? totals.positive / all : 0, i18n.language),
                negative: formatShare(all ? totals.negative / all : 0, i18n.language),
                neutral: formatShare(all ? totals.neutral / all : 0, i18n.language),
              })}
            >
              {sentiments.map((s) =>
                totals[s] > 0 ? (
                  <Box key={s} bg={BAR[s]} w={`${(totals[s] / all) * 100}%`} />
                ) : null,
              )}
            </Flex>
            <Flex gap="16px" mt="6px" fontSize="xs" color="fg.muted" wrap="wrap">
              {sentiments.map((s) => (
                <Flex key={s} align="center" gap="6px">
                  <Box w="10px" h="10px" borderRadius="3px" bg={BAR[s]} aria-hidden="true" />
                  {t(`results.themes.sentimentShare.${s}`, {
                    share: formatShare(all ? totals[s] / all : 0, i18n.language),
                    count: totals[s],
                  })}
                </Flex>
              ))}
            </Flex>
          </Box>
          <SimpleGrid columns={{ base: 1, lg: 2 }} gap="16px">
            {rows.map((th) => (
              <Box
                key={`${th.sentiment}/${th.name}`}
                p="16px"
                borderRadius="12px"
                border="1px solid"
                borderColor="gray.100"
                data-testid="theme"
                data-sentiment={th.sentiment}
              >
                <Flex justify="space-between" gap="8px" align="flex-start" wrap="wrap">
                  <Text as="h3" fontWeight="bold" color="gray.700">
                    {th.name}
                  </Text>
                  <Flex gap="6px">
                    <Badge
                      colorPalette={SENTIMENT_PALETTE[th.sentiment]}
                      variant="subtle"
                      borderRadius="badge"
                      textTransform="none"
                    >
                      {t(`results.themes.sentiment.${th.sentiment}`)}
                    </Badge>
                    <Badge
                      variant="outline"
                      borderRadius="badge"
                      textTransform="none"
                      data-testid="theme-count"
                    >
                      {t('results.themes.mentions', { count: th.count })}
                    </Badge>
                  </Flex>
                </Flex>
                <Stack gap="8px" mt="10px">
                  {th.quotes.map((q, i) => (
                    <Blockquote.Root
                      key={i}
                      variant="plain"
                      colorPalette={SENTIMENT_PALETTE[th.sentiment]}
                      fontSize="sm"
                      py="2px"
                    >
                      <Blockquote.Content color="gray.700">{q}</Blockquote.Content>
                    </Blockquote.Root>
                  ))}
                </Stack>
              </Box>
            ))}
          </SimpleGrid>
        </>
      )}
    </Card>
  );
}

const FIRST_LINES = 12;

export function DiscussionLines({
  lines,
  highlight,
}: {
  lines: TranscriptLine[];
  highlight?: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack as="ol" gap="10px" listStyleType="none" p={0} m={0}>
      {lines.map((l, i) => {
        const header = i === 0 || lines[i - 1]?.round !== l.round;
        const moderator = /^moderator$/i.test(l.speaker);
        const mine = highlight !== undefined && l.speaker === highlight;
        return (
          <Box as="li" key={i}>
            {header && l.round > 0 ? (
              <Text
                fontSize="xs"
                fontWeight="bold"
                color="fg.muted"
                textTransform="uppercase"
                mb="6px"
                mt={i ? '6px' : 0}
              >
                {t('results.discussion.round', { round: l.round })}
              </Text>
            ) : null}
            <Flex gap="10px" align="flex-start" data-testid="discussion-line">
              <PersonaAvatar
                name={moderator ? t('results.discussion.moderator') : l.speaker}
                size="32px"
              />
              <Box
                flex="1"
                minW={0}
                bg={moderator ? 'teal.50' : mine ? 'orange.50' : 'gray.50'}
                borderRadius="12px"
                px="12px"
                py="8px"
              >
                <Text fontSize="sm" fontWeight="bold" color="gray.700">
                  {moderator ? t('results.discussion.moderator') : l.speaker}
                </Text>
                <Text fontSize="sm" color="gray.700">
                  {l.text}
                </Text>
              </Box>
            </Flex>
          </Box>
        );
      })}
    </Stack>
  );
}

export function DiscussionSection({ report }: { report: Report }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const lines = report.transcript ?? [];
  if (lines.length === 0) return null;
  const shown = all ? lines : lines.slice(0, FIRST_LINES);
  const speakers = new Set(lines.map((l) => l.speaker).filter((s) => !/^moderator$/i.test(s)));
  return (
    <Card data-testid="discussion">
      <CardHeader
        title={t('results.discussion.title')}
        subtitle={t('results.discussion.subtitle', { lines: lines.length, people: speakers.size })}
      />
      <DiscussionLines lines={shown} />
      {lines.length > FIRST_LINES ? (
        <Button
          size="sm"
          variant="ghost"
          colorPalette="teal"
          mt="12px"
          alignSelf="flex-start"
          onClick={() => setAll(!all)}
        >
          {all
            ? t('results.discussion.showLess')
            : t('results.discussion.showAll', { count: lines.length })}
        </Button>
      ) : null}
    </Card>
  );
}
