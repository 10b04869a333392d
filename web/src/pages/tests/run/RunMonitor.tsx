/*
 * A run while it is queued, running or paused: its progress live from the
 * event stream (answers done of total, elapsed time, cost and tokens so
 * far, the latest answers or focus-group lines), and pause / resume /
 * cancel (cancel asks first). When the stream says the run has ended the
 * page is told, and turns into the results.
 */
import { Badge, Box, Button, Flex, Progress, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import {
  usePanelBriefs,
  useRun,
  useRunAction,
  type PersonaBrief,
  type Run,
  type RunAction,
  type RunStatus,
} from '../../../api/runs';
import type { Test } from '../../../api/tests';
import { ActionError } from '../../../components/ActionError';
import { Card, CardHeader } from '../../../components/Card';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorState } from '../../../components/ErrorState';
import { ChartIcon, ClockIcon, CoinIcon, TokensIcon } from '../../../components/Icons';
import { PersonaAvatar } from '../../../components/PersonaAvatar';
import { StatCard } from '../../../components/StatCard';
import { formatNumber, formatUsd } from '../../../lib/format';
import { formatCompact } from './format';
import { scenarioLabeler } from './labels';
import {
  answerSummary,
  elapsedSeconds,
  formatElapsed,
  isEnded,
  percentDone,
  type FeedItem,
  type MonitorState,
} from './monitor';
import type { StreamState } from './sse';
import { useRunStream } from './useRunStream';

/** The current time, every `ms` while `active`. */
function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [active, ms]);
  return now;
}

function ConnectionBadge({ conn }: { conn: StreamState }) {
  const { t } = useTranslation();
  const palette = conn === 'open' ? 'green' : conn === 'failed' ? 'red' : 'orange';
  return (
    <Badge
      colorPalette={palette}
      variant="subtle"
      borderRadius="badge"
      px="8px"
      py="3px"
      gap="6px"
      textTransform="none"
      data-testid="stream-state"
      data-state={conn}
    >
      <Box as="span" w="8px" h="8px" borderRadius="full" bg={`${palette}.500`} aria-hidden="true" />
      {t(`run.monitor.stream.${conn}`)}
    </Badge>
  );
}

function FeedEntry({
  item,
  persona,
  scenarioLabel,
}: {
  item: FeedItem;
  persona: PersonaBrief | undefined;
  scenarioLabel: (key: string) => string;
}) {
  const { t } = useTranslation();
  const name =
    item.kind === 'said'
      ? item.speaker || persona?.name || t('run.feed.somebody')
      : (persona?.name ?? t('run.feed.aPersona'));
  const summary = item.kind === 'answer' ? answerSummary(item.answers) : '';
  return (
    <Flex
      as="li"
      gap="12px"
      py="12px"
      borderTop="1px solid"
      borderColor="gray.100"
      data-testid="feed-item"
    >
      <PersonaAvatar name={name} size="36px" />
      <Box flex="1" minW={0}>
        <Flex gap="8px" align="baseline" wrap="wrap">
          <Text fontWeight="bold" color="gray.700" fontSize="sm">
            {name}
          </Text>
          <Text fontSize="xs" color="fg.muted">
            {item.kind === 'said'
              ? [
                  item.round ? t('run.feed.round', { round: item.round }) : null,
                  item.target ? t('run.feed.to', { name: item.target }) : null,
                ]
                  .filter(Boolean)
                  .join(' · ')
              : scenarioLabel(item.scenario)}
          </Text>
          {item.abandoned ? (
            <Badge colorPalette="orange" variant="subtle" borderRadius="badge" textTransform="none">
              {t('run.feed.abandoned')}
            </Badge>
          ) : null}
          {item.error ? (
            <Badge colorPalette="red" variant="subtle" borderRadius="badge" textTransform="none">
              {t('run.feed.failed')}
            </Badge>
          ) : null}
        </Flex>
        {summary ? (
          <Text fontSize="xs" color="teal.700" fontWeight="bold" mt="2px">
            {summary}
          </Text>
        ) : null}
        {item.text ? (
          <Text fontSize="sm" color="gray.700" mt="2px" lineClamp={3}>
            {item.text}
          </Text>
        ) : null}
      </Box>
    </Flex>
  );
}

function statusLine(t: (k: string, o?: Record<string, unknown>) => string, s: MonitorState) {
  if (s.requested === 'pause') return t('run.monitor.pausing');
  if (s.requested === 'cancel') return t('run.monitor.cancelling');
  if (s.status === 'queued') return t('run.monitor.queued');
  if (s.status === 'paused') return t('run.monitor.paused');
  if (s.total <= 0) return t('run.monitor.preparing');
  return t('run.monitor.running');
}

export function RunMonitor({
  testId,
  runId,
  run,
  runAt,
  test,
  onEnded,
}: {
  testId: string;
  runId: string;
  run: Run;
  runAt: number;
  test: Test | undefined;
  onEnded: (status: RunStatus, error: string | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { state, conn, connError } = useRunStream(testId, runId, run, runAt);
  // while the stream is down, the run is read every few seconds instead
  useRun(testId, runId, { poll: conn === 'open' || conn === 'connecting' ? 0 : 5000 });
  const action = useRunAction(testId, runId);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const briefs = usePanelBriefs(test);
  const now = useNow(
    !isEnded(state.status) && state.status !== 'paused' && state.startedAt !== null,
  );
  // a paused run's clock stops where it paused (the run's last update, or when the stream said so)
  const pausedAt =
    state.status === 'paused'
      ? run.status === 'paused'
        ? Date.parse(run.updated_at)
        : state.statusAt || now
      : null;
  const reported = useRef(false);

  useEffect(() => {
    if (isEnded(state.status) && !reported.current) {
      reported.current = true;
      onEnded(state.status, state.error);
    }
  }, [state.status, state.error, onEnded]);

  const label = useMemo(
    () => scenarioLabeler(t, test?.config.scenarios ?? [], test?.type === 'journey'),
    [t, test],
  );
  const pct = percentDone(state);
  const elapsed = elapsedSeconds(state.startedAt, state.finishedAt ?? pausedAt, now);
  const act = (a: RunAction) =>
    action.mutate(a, { onSuccess: () => (a === 'cancel' ? setConfirmCancel(false) : undefined) });
  const busy = action.isPending;
  const canPause = (state.status === 'running' || state.status === 'queued') && !state.requested;
  const isFocus = test?.type === 'focus_group';

  return (
    <Stack gap="24px" data-testid="run-monitor">
      <SimpleGrid columns={{ base: 1, sm: 2, xl: 4 }} gap="24px">
        <StatCard
          label={t('run.monitor.progress')}
          value={pct === null ? '–' : `${pct}%`}
          icon={<ChartIcon boxSize="22px" />}
          testId="stat-progress"
        />
        <StatCard
          label={t('run.monitor.elapsed')}
          value={elapsed === null ? '–' : formatElapsed(elapsed)}
          icon={<ClockIcon boxSize="22px" />}
          testId="stat-elapsed"
        />
        <StatCard
          label={t('run.monitor.cost')}
          value={formatUsd(state.costUsd, lng)}
          note={t('run.monitor.calls', {
            count: state.calls,
            formatted: formatNumber(state.calls, lng),
          })}
          icon={<CoinIcon boxSize="22px" />}
          testId="stat-cost"
        />
        <StatCard
          label={t('run.monitor.tokens')}
          value={formatCompact(state.tokensIn + state.tokensOut, lng)}
          note={t('run.monitor.tokensSplit', {
            in: formatCompact(state.tokensIn, lng),
            out: formatCompact(state.tokensOut, lng),
          })}
          icon={<TokensIcon boxSize="22px" />}
          testId="stat-tokens"
        />
      </SimpleGrid>

      <Card>
        <CardHeader
          title={t('run.monitor.title')}
          subtitle={
            <Text as="span" aria-live="polite" data-testid="run-status-line">
              {statusLine(t, state)}
            </Text>
          }
          actions={
            <>
              <ConnectionBadge conn={conn} />
              {state.status === 'paused' ? (
                <Button
                  size="sm"
                  colorPalette="teal"
                  onClick={() => act('resume')}
                  loading={busy && action.variables === 'resume'}
                  disabled={busy}
                  data-testid="resume-run"
                >
                  {t('run.actions.resume')}
                </Button>
              ) : (
                <Button
                  size="sm"
                  variant="outline"
                  onClick={() => act('pause')}
                  loading={busy && action.variables === 'pause'}
                  disabled={busy || !canPause}
                  data-testid="pause-run"
                >
                  {t('run.actions.pause')}
                </Button>
              )}
              <Button
                size="sm"
                variant="outline"
                colorPalette="red"
                onClick={() => {
                  action.reset();
                  setConfirmCancel(true);
                }}
                disabled={busy || state.requested === 'cancel'}
                data-testid="cancel-run"
              >
                {t('run.actions.cancel')}
              </Button>
            </>
          }
        />
        <Box data-testid="run-progress">
          <Flex justify="space-between" align="baseline" mb="8px" gap="8px" wrap="wrap">
            <Text fontWeight="bold" color="gray.700" data-testid="progress-count">
              {state.total > 0
                ? t('run.monitor.answersOf', {
                    done: formatNumber(state.done, lng),
                    total: formatNumber(state.total, lng),
                  })
                : t('run.monitor.waitingTotal')}
            </Text>
            {state.personas ? (
              <Text fontSize="sm" color="fg.muted">
                {t('run.monitor.personas', {
                  count: state.personas,
                  formatted: formatNumber(state.personas, lng),
                })}
              </Text>
            ) : null}
          </Flex>
          <Progress.Root
            value={pct}
            max={100}
            colorPalette={state.status === 'paused' ? 'orange' : 'teal'}
            size="md"
            striped={state.status === 'running'}
            animated={state.status === 'running'}
            aria-label={t('run.monitor.progressLabel')}
          >
            <Progress.Track borderRadius="full" bg="gray.100">
              <Progress.Range borderRadius="full" />
            </Progress.Track>
          </Progress.Root>
        </Box>
        {action.isError && !confirmCancel ? (
          <Box mt="16px">
            <ActionError
              error={action.error}
              message={
                isApiError(action.error) && action.error.status === 409
                  ? t('run.errors.notNow')
                  : null
              }
              onDismiss={() => action.reset()}
              dismissLabel={t('run.actions.dismiss')}
            />
          </Box>
        ) : null}
        {conn === 'reconnecting' ? (
          <Text fontSize="sm" color="fg.muted" mt="12px">
            {t('run.monitor.reconnecting')}
          </Text>
        ) : null}
        {conn === 'failed' ? (
          <Box mt="16px">
            <ErrorState error={connError} compact title={t('run.monitor.streamFailed')} />
          </Box>
        ) : null}
      </Card>

      <Card>
        <CardHeader
          title={isFocus ? t('run.feed.titleDiscussion') : t('run.feed.title')}
          subtitle={t('run.feed.subtitle', {
            count: state.answers + state.lines,
            formatted: formatNumber(state.answers + state.lines, lng),
          })}
        />
        {state.feed.length === 0 ? (
          <Text color="fg.muted" py="16px" data-testid="feed-empty">
            {state.status === 'paused' ? t('run.feed.emptyPaused') : t('run.feed.empty')}
          </Text>
        ) : (
          <Box
            as="ol"
            listStyleType="none"
            m={0}
            p={0}
            maxH="560px"
            overflowY="auto"
            tabIndex={0}
            aria-label={t('run.feed.title')}
            data-testid="live-feed"
          >
            {state.feed.map((item) => (
              <FeedEntry
                key={item.key}
                item={item}
                persona={item.personaId ? briefs.data?.[item.personaId] : undefined}
                scenarioLabel={label}
              />
            ))}
          </Box>
        )}
      </Card>

      <ConfirmDialog
        open={confirmCancel}
        onClose={() => setConfirmCancel(false)}
        title={t('run.cancel.title')}
        confirmLabel={t('run.cancel.confirm')}
        cancelLabel={t('run.cancel.keep')}
        onConfirm={() => act('cancel')}
        busy={busy && action.variables === 'cancel'}
        error={
          action.isError && action.variables === 'cancel' ? (
            <ActionError
              error={action.error}
              message={
                isApiError(action.error) && action.error.status === 409
                  ? t('run.errors.notNow')
                  : null
              }
            />
          ) : undefined
        }
        testId="cancel-dialog"
      >
        <Text>{t('run.cancel.text')}</Text>
        {state.done > 0 ? (
          <Text mt="8px">
            {t('run.cancel.kept', {
              done: formatNumber(state.done, lng),
              total: formatNumber(state.total, lng),
            })}
          </Text>
        ) : null}
      </ConfirmDialog>
    </Stack>
  );
}
