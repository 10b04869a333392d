/*
 * The head of the results: who answered, what it cost, how long it took,
 * which model (labelled when it was the offline one), the exports; then
 * the insights summary and the success criteria.
 */
import { Badge, Box, Button, Flex, List, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../api/auth';
import { isApiError } from '../../../api/client';
import { downloadExport, type ExportFormat, type Report } from '../../../api/runs';
import { ActionError } from '../../../components/ActionError';
import { Card, CardHeader } from '../../../components/Card';
import {
  AlertIcon,
  CheckIcon,
  ChipIcon,
  ClockIcon,
  CoinIcon,
  PersonasIcon,
  TokensIcon,
} from '../../../components/Icons';
import { StatCard } from '../../../components/StatCard';
import { UpgradePrompt } from '../../../components/UpgradePrompt';
import { formatDateTime, formatNumber, formatUsd } from '../../../lib/format';
import { criteriaCounts, criterionState, type CriterionState } from './chartData';
import { formatCompact, formatDecimal, formatDuration } from './format';

/** "Offline model" on results the built-in simulator produced (report.run.offline). */
export function ResultsOfflineBadge() {
  const { t } = useTranslation();
  return (
    <Badge
      data-testid="results-offline-badge"
      colorPalette="orange"
      variant="subtle"
      borderRadius="badge"
      px="8px"
      py="3px"
      gap="4px"
      textTransform="none"
      title={t('model.offlineHint')}
    >
      <ChipIcon boxSize="14px" />
      {t('model.offline')}
    </Badge>
  );
}

const FORMATS: ExportFormat[] = ['csv', 'json', 'html'];

export function ExportButtons({ testId, runId }: { testId: string; runId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<{ format: ExportFormat; error: unknown } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const allowed = me.data?.plan.advanced_analytics;
  const refused = error && isApiError(error.error) && error.error.status === 403;

  if (allowed === false || refused)
    return (
      <UpgradePrompt
        testId="export-upgrade"
        title={t('results.export.lockedTitle')}
        text={t('results.export.lockedText', {
          plan: me.data ? t(`plans.${me.data.workspace.plan_type}`) : '',
        })}
        actionLabel={t('actions.upgrade')}
      />
    );

  const run = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    setSaved(null);
    try {
      setSaved(await downloadExport(testId, runId, format));
    } catch (e) {
      setError({ format, error: e });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="8px" data-testid="export-buttons">
      <Flex gap="8px" wrap="wrap" role="group" aria-label={t('results.export.label')}>
        {FORMATS.map((f) => (
          <Button
            key={f}
            size="sm"
            variant="outline"
            colorPalette="teal"
            loading={busy === f}
            disabled={busy !== null || me.isPending}
            onClick={() => void run(f)}
            data-testid={`export-${f}`}
            title={t(`results.export.hint.${f}`)}
          >
            {t(`results.export.format.${f}`)}
          </Button>
        ))}
      </Flex>
      <Box aria-live="polite">
        {saved ? (
          <Text fontSize="xs" color="fg.muted" data-testid="export-saved">
            {t('results.export.saved', { name: saved })}
          </Text>
        ) : null}
      </Box>
      {error ? (
        <ActionError
          error={error.error}
          onRetry={() => void run(error.format)}
          onDismiss={() => setError(null)}
          dismissLabel={t('run.actions.dismiss')}
        />
      ) : null}
    </Stack>
  );
}

export function SummaryStats({ report }: { report: Report }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const r = report.run;
  const u = report.units;
  const answered = u.total - u.failed;
  return (
    <SimpleGrid columns={{ base: 1, sm: 2, xl: 4 }} gap="24px" data-testid="results-stats">
      <StatCard
        label={t('results.stats.respondents')}
        value={formatNumber(report.respondents, lng)}
        note={[
          t('results.stats.answers', { count: answered, formatted: formatNumber(answered, lng) }),
          u.abandoned ? t('results.stats.abandoned', { count: u.abandoned }) : null,
          u.failed ? t('results.stats.failed', { count: u.failed }) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
        icon={<PersonasIcon boxSize="22px" />}
        testId="stat-respondents"
      />
      <StatCard
        label={t('results.stats.cost')}
        value={formatUsd(r.cost_usd, lng)}
        note={t('results.stats.calls', {
          count: r.calls,
          formatted: formatNumber(r.calls, lng),
          cached: formatNumber(r.cache_hits, lng),
        })}
        icon={<CoinIcon boxSize="22px" />}
        testId="stat-cost"
      />
      <StatCard
        label={t('results.stats.tokens')}
        value={formatCompact(r.tokens_in + r.tokens_out, lng)}
        note={t('run.monitor.tokensSplit', {
          in: formatCompact(r.tokens_in, lng),
          out: formatCompact(r.tokens_out, lng),
        })}
        icon={<TokensIcon boxSize="22px" />}
        testId="stat-tokens"
      />
      <StatCard
        label={t('results.stats.duration')}
        value={
          r.duration_s === null || r.duration_s === undefined
            ? '–'
            : formatDuration(r.duration_s, lng)
        }
        note={r.finished_at ? formatDateTime(r.finished_at, lng) : undefined}
        icon={<ClockIcon boxSize="22px" />}
        testId="stat-duration"
      />
    </SimpleGrid>
  );
}

export function ResultsHead({
  report,
  testId,
  runId,
  partial,
}: {
  report: Report;
  testId: string;
  runId: string;
  partial: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Card data-testid="results-head">
      <CardHeader
        title={partial ? t('results.head.partialTitle') : t('results.head.title')}
        subtitle={
          <Flex as="span" gap="8px" align="center" wrap="wrap">
            <Text as="span" data-testid="results-model">
              {t('results.head.model', { model: report.run.model ?? t('results.head.noModel') })}
            </Text>
            {report.run.offline ? <ResultsOfflineBadge /> : null}
            <Text as="span">· {t('results.head.seed', { seed: report.run.seed })}</Text>
          </Flex>
        }
        actions={<ExportButtons testId={testId} runId={runId} />}
      />
      {report.run.offline ? (
        <Text fontSize="sm" color="fg.muted" mt="-6px">
          {t('results.head.offlineNote')}
        </Text>
      ) : null}
      {partial ? (
        <Text fontSize="sm" color="orange.700" mt="6px">
          {t('results.head.partialNote')}
        </Text>
      ) : null}
    </Card>
  );
}

export function InsightsCard({ report }: { report: Report }) {
  const { t } = useTranslation();
  const ins = report.insights;
  return (
    <Card data-testid="insights">
      <CardHeader title={t('results.insights.title')} subtitle={t('results.insights.subtitle')} />
      {ins?.summary ? (
        <Stack gap="12px">
          <Text color="gray.700" lineHeight="1.7" data-testid="insights-summary">
            {ins.summary}
          </Text>
          {ins.highlights?.length ? (
            <List.Root gap="6px" variant="plain">
              {ins.highlights.map((h) => (
                <List.Item key={h} alignItems="center" color="gray.700" fontSize="sm">
                  <List.Indicator asChild color="teal.500">
                    <CheckIcon boxSize="16px" />
                  </List.Indicator>
                  {h}
                </List.Item>
              ))}
            </List.Root>
          ) : null}
        </Stack>
      ) : (
        <Text color="fg.muted" data-testid="insights-none">
          {ins?.dropped
            ? t('results.insights.dropped', { reason: ins.dropped })
            : t('results.insights.none')}
        </Text>
      )}
    </Card>
  );
}

const STATE_PALETTE: Record<CriterionState, string> = {
  passed: 'green',
  failed: 'red',
  undecided: 'gray',
};

/** An undecided criterion's reason in words, when it is one the product knows. */
function undecidedReason(t: (k: string) => string, error: string | null | undefined) {
  if (!error) return t('results.criteria.why.unknown');
  if (/no value for winner/.test(error)) return t('results.criteria.why.noWinner');
  if (/no answers?|no value/.test(error)) return t('results.criteria.why.noAnswers');
  return error;
}

function figureText(v: number | string | null, lng: string): string {
  if (v === null) return '–';
  return typeof v === 'number' ? formatDecimal(v, lng, 3) : v;
}

export function CriteriaCard({ report }: { report: Report }) {
  const { t, i18n } = useTranslation();
  const criteria = report.criteria ?? [];
  const counts = criteriaCounts(criteria);
  return (
    <Card data-testid="criteria">
      <CardHeader
        title={t('results.criteria.title')}
        subtitle={
          criteria.length
            ? t('results.criteria.subtitle', {
                passed: counts.passed,
                failed: counts.failed,
                undecided: counts.undecided,
              })
            : t('results.criteria.none')
        }
      />
      <Stack gap="10px">
        {criteria.map((c) => {
          const state = criterionState(c);
          return (
            <Flex
              key={c.text}
              gap="12px"
              align="flex-start"
              p="12px"
              borderRadius="12px"
              bg="gray.50"
              data-testid="criterion"
              data-state={state}
            >
              <Badge
                colorPalette={STATE_PALETTE[state]}
                variant="solid"
                borderRadius="badge"
                px="8px"
                textTransform="none"
                flexShrink={0}
              >
                {state === 'failed' ? <AlertIcon boxSize="12px" /> : null}
                {t(`results.criteria.state.${state}`)}
              </Badge>
              <Box minW={0}>
                <Text fontFamily="mono" fontSize="sm" color="gray.700" wordBreak="break-word">
                  {c.text}
                </Text>
                {Object.entries(c.figures ?? {}).map(([k, v]) => (
                  <Text key={k} fontSize="sm" color="fg.muted">
                    {t('results.criteria.figure', { name: k, value: figureText(v, i18n.language) })}
                  </Text>
                ))}
                {state === 'undecided' ? (
                  <Text fontSize="sm" color="fg.muted">
                    {undecidedReason(t, c.error)}
                  </Text>
                ) : null}
              </Box>
            </Flex>
          );
        })}
      </Stack>
    </Card>
  );
}
