/*
 * /tests/:testId - one test: what it shows and asks (its spec summarised),
 * what a run costs (the estimate), its runs (each leading to its own page),
 * and the actions: run it, edit it, delete it (confirmed).
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Code,
  Dialog,
  Flex,
  Heading,
  Portal,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@chakra-ui/react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import {
  isActive,
  useDeleteTest,
  useEstimate,
  useProjectOptions,
  useRunTest,
  useTest,
  useTestRuns,
  type Test,
} from '../../api/tests';
import { useLlmStatus } from '../../api/usage';
import { OfflineModelBadge, StatusBadge } from '../../components/Badges';
import { Card, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PencilIcon, PlayIcon, TestsIcon, TrashIcon } from '../../components/Icons';
import { Pager } from '../../components/Pager';
import { formatDateTime, formatNumber, formatUsd } from '../../lib/format';
import { EstimateError, EstimateView, PlanRunsNote } from './builder/StepReview';
import { ActionError } from './PlanGate';
import { counts, durationSeconds, panelText } from './summary';

const RUNS_PAGE = 10;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Flex gap="12px" py="6px" borderBottomWidth="1px" borderColor="gray.100" wrap="wrap">
      <Text fontSize="sm" color="fg.muted" w={{ base: '100%', sm: '160px' }} flexShrink={0}>
        {label}
      </Text>
      <Box fontSize="sm" color="gray.700" flex="1" minW={0}>
        {children}
      </Box>
    </Flex>
  );
}

function SpecSummary({ test }: { test: Test }) {
  const { t } = useTranslation();
  const c = test.config;
  const n = counts(c);
  const journey = test.type === 'journey';
  return (
    <Card>
      <CardHeader
        title={t('testDetail.spec.title')}
        subtitle={t('testDetail.spec.subtitle', {
          scenarios: t(journey ? 'testDetail.count.steps' : 'testDetail.count.scenarios', {
            count: n.scenarios,
          }),
          questions: t('testDetail.count.questions', { count: n.questions }),
        })}
      />
      <Stack gap="16px">
        {c.scenarios.map((s, si) => (
          <Box
            key={s.id}
            borderWidth="1px"
            borderColor="gray.100"
            borderRadius="12px"
            p="12px"
            data-testid="spec-scenario"
          >
            <Flex gap="8px" align="center" mb="6px" wrap="wrap">
              <Badge colorPalette="teal" variant="subtle" borderRadius="badge">
                {t(journey ? 'builder.stimuli.stepN' : 'builder.stimuli.scenarioN', { n: si + 1 })}
              </Badge>
              <Heading as="h3" fontSize="md" color="gray.700">
                {s.title ?? s.id}
              </Heading>
            </Flex>
            <Text fontSize="sm" color="gray.700" whiteSpace="pre-wrap">
              {s.stimulus}
            </Text>
            {s.variants?.length ? (
              <SimpleGrid
                columns={{ base: 1, md: Math.min(3, s.variants.length) }}
                gap="8px"
                mt="10px"
              >
                {s.variants.map((v) => (
                  <Box
                    key={v.id}
                    bg="gray.50"
                    borderRadius="10px"
                    p="10px"
                    data-testid="spec-variant"
                  >
                    <Text fontSize="xs" fontWeight="bold" color="fg.muted">
                      {t('testDetail.spec.variant', { id: v.id })}
                    </Text>
                    <Text fontSize="sm" whiteSpace="pre-wrap" lineClamp={4}>
                      {v.stimulus}
                    </Text>
                  </Box>
                ))}
              </SimpleGrid>
            ) : null}
            {s.questions?.length ? (
              <Box as="ol" mt="10px" ps="20px" fontSize="sm" listStyleType="decimal">
                {s.questions.map((q) => (
                  <li key={q.id}>
                    <Text as="span" color="gray.700">
                      {q.prompt}
                    </Text>{' '}
                    <Text as="span" color="fg.muted" fontSize="xs">
                      ({t(`builder.kinds.${q.kind}`)}
                      {q.scale ? ` ${q.scale.min}–${q.scale.max}` : ''}
                      {q.options ? `: ${q.options.join(', ')}` : ''}) ·{' '}
                      <Code fontSize="xs">{q.id}</Code>
                    </Text>
                  </li>
                ))}
              </Box>
            ) : null}
          </Box>
        ))}
        {c.moderator ? (
          <Box borderWidth="1px" borderColor="gray.100" borderRadius="12px" p="12px">
            <Heading as="h3" fontSize="sm" color="gray.700" mb="4px">
              {t('testDetail.spec.moderator', { rounds: c.moderator.rounds })}
            </Heading>
            <Box as="ol" ps="20px" fontSize="sm" listStyleType="decimal">
              {c.moderator.questions.map((q, i) => (
                <li key={i}>{q}</li>
              ))}
            </Box>
          </Box>
        ) : null}
        <Box>
          <Row label={t('testDetail.spec.panel')}>{panelText(c, t)}</Row>
          <Row label={t('testDetail.spec.model')}>
            {[
              c.model?.name ?? t('testDetail.spec.serverModel'),
              c.model?.temperature !== undefined
                ? t('builder.review.pTemperature', { value: c.model.temperature })
                : '',
              c.model?.concurrency !== undefined
                ? t('testDetail.spec.concurrency', { value: c.model.concurrency })
                : '',
            ]
              .filter(Boolean)
              .join(' · ')}
          </Row>
          <Row label={t('testDetail.spec.run')}>
            {[
              c.seed !== undefined
                ? t('builder.review.pSeed', { value: c.seed })
                : t('testDetail.spec.noSeed'),
              t('builder.review.pSamples', { count: c.samples ?? 1 }),
              t(`builder.params.elicit.${c.elicitation ?? 'direct'}`),
              t('builder.review.pTimeout', { value: c.timeout ?? 600 }),
            ].join(' · ')}
          </Row>
          {c.environment ? (
            <Row label={t('builder.params.environment')}>{c.environment}</Row>
          ) : null}
          <Row label={t('testDetail.spec.criteria')}>
            {c.success_criteria?.length ? (
              <Stack gap="4px">
                {c.success_criteria.map((x, i) => (
                  <Code
                    key={i}
                    fontSize="xs"
                    bg="gray.50"
                    whiteSpace="pre-wrap"
                    data-testid="spec-criterion"
                  >
                    {x}
                  </Code>
                ))}
              </Stack>
            ) : (
              t('builder.review.noCriteria')
            )}
          </Row>
        </Box>
      </Stack>
    </Card>
  );
}

function EstimateCard({ test }: { test: Test }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const q = useEstimate(test.id, test.updated_at);
  return (
    <Card>
      <CardHeader title={t('builder.estimate.title')} subtitle={t('testDetail.estimateSubtitle')} />
      {q.isPending ? (
        <Stack gap="8px" aria-busy="true" aria-label={t('common.loading')}>
          <Skeleton h="18px" w="40%" />
          <SimpleGrid columns={{ base: 2, md: 5 }} gap="10px">
            {[0, 1, 2, 3, 4].map((i) => (
              <Skeleton key={i} h="60px" />
            ))}
          </SimpleGrid>
        </Stack>
      ) : q.isError ? (
        <EstimateError
          error={q.error}
          onRetry={() => void q.refetch()}
          onPanel={() => navigate(`/tests/${test.id}/edit`)}
        />
      ) : (
        <EstimateView estimate={q.data} />
      )}
      <Box mt="10px">
        <PlanRunsNote />
      </Box>
    </Card>
  );
}

function Runs({ test, onRun, running }: { test: Test; onRun: () => void; running: boolean }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [offset, setOffset] = useState(0);
  const llm = useLlmStatus();
  const q = useTestRuns(test.id, { limit: RUNS_PAGE, offset }, { poll: isActive(test.status) });
  const total = q.data?.total ?? 0;
  const offlineModel = llm.data?.provider === 'offline' ? llm.data.model : null;
  return (
    <Card>
      <CardHeader
        title={t('testDetail.runs.title')}
        subtitle={q.data ? t('testDetail.runs.count', { count: total }) : undefined}
        actions={<OfflineModelBadge />}
      />
      {q.isPending ? (
        <Stack gap="8px" aria-busy="true" aria-label={t('common.loading')}>
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h="32px" />
          ))}
        </Stack>
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.runs.length === 0 ? (
        <EmptyState
          icon={<TestsIcon boxSize="26px" />}
          title={t('testDetail.runs.emptyTitle')}
          description={t('testDetail.runs.emptyText')}
          actions={
            <Button colorPalette="teal" size="sm" onClick={onRun} loading={running}>
              <PlayIcon boxSize="14px" />
              {t('testDetail.run')}
            </Button>
          }
        />
      ) : (
        <Stack gap="12px">
          <Table.ScrollArea>
            <Table.Root size="sm" variant="line" data-testid="runs-table">
              <Table.Header>
                <Table.Row>
                  <Table.ColumnHeader
                    ps={0}
                    color="fg.muted"
                    fontSize="xs"
                    textTransform="uppercase"
                  >
                    {t('testDetail.runs.started')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader color="fg.muted" fontSize="xs" textTransform="uppercase">
                    {t('testDetail.runs.status')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader
                    color="fg.muted"
                    fontSize="xs"
                    textTransform="uppercase"
                    hideBelow="sm"
                  >
                    {t('testDetail.runs.progress')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader
                    color="fg.muted"
                    fontSize="xs"
                    textTransform="uppercase"
                    textAlign="end"
                    hideBelow="md"
                  >
                    {t('testDetail.runs.tokens')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader
                    color="fg.muted"
                    fontSize="xs"
                    textTransform="uppercase"
                    textAlign="end"
                  >
                    {t('testDetail.runs.cost')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader
                    color="fg.muted"
                    fontSize="xs"
                    textTransform="uppercase"
                    hideBelow="lg"
                  >
                    {t('testDetail.runs.model')}
                  </Table.ColumnHeader>
                  <Table.ColumnHeader
                    color="fg.muted"
                    fontSize="xs"
                    textTransform="uppercase"
                    textAlign="end"
                    hideBelow="md"
                  >
                    {t('testDetail.runs.duration')}
                  </Table.ColumnHeader>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {q.data.runs.map((r) => {
                  const secs = durationSeconds(r.started_at, r.finished_at);
                  return (
                    <Table.Row key={r.id} data-testid="run-row">
                      <Table.Cell ps={0}>
                        <RouterLink to={`/tests/${test.id}/runs/${r.id}`}>
                          <Text
                            as="span"
                            fontWeight="bold"
                            color="gray.700"
                            _hover={{ color: 'teal.700' }}
                          >
                            {formatDateTime(r.created_at, lng)}
                          </Text>
                        </RouterLink>
                      </Table.Cell>
                      <Table.Cell>
                        <StatusBadge status={r.status} />
                        {r.error ? (
                          <Text
                            fontSize="xs"
                            color="red.600"
                            lineClamp={2}
                            maxW="220px"
                            title={r.error}
                          >
                            {r.error}
                          </Text>
                        ) : null}
                      </Table.Cell>
                      <Table.Cell hideBelow="sm" color="fg.muted">
                        {t('testList.progress', { done: r.progress.done, total: r.progress.total })}
                      </Table.Cell>
                      <Table.Cell textAlign="end" hideBelow="md" color="fg.muted">
                        {formatNumber(r.tokens_in + r.tokens_out, lng)}
                      </Table.Cell>
                      <Table.Cell textAlign="end">{formatUsd(r.cost_usd, lng)}</Table.Cell>
                      <Table.Cell hideBelow="lg" color="fg.muted">
                        {r.model ?? '—'}
                        {r.model && r.model === offlineModel ? (
                          <Badge
                            ms="6px"
                            colorPalette="orange"
                            variant="subtle"
                            borderRadius="badge"
                            textTransform="none"
                          >
                            {t('model.offline')}
                          </Badge>
                        ) : null}
                      </Table.Cell>
                      <Table.Cell textAlign="end" hideBelow="md" color="fg.muted">
                        {secs === null
                          ? '—'
                          : t('testDetail.runs.seconds', { value: secs.toFixed(1) })}
                      </Table.Cell>
                    </Table.Row>
                  );
                })}
              </Table.Body>
            </Table.Root>
          </Table.ScrollArea>
          {total > RUNS_PAGE ? (
            <Pager
              page={Math.floor(offset / RUNS_PAGE) + 1}
              pages={Math.ceil(total / RUNS_PAGE)}
              onPage={(p) => setOffset((p - 1) * RUNS_PAGE)}
            />
          ) : null}
        </Stack>
      )}
    </Card>
  );
}

function DeleteDialog({
  test,
  open,
  onOpenChange,
}: {
  test: Test;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const del = useDeleteTest();
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(e) => {
        if (!e.open) del.reset();
        onOpenChange(e.open);
      }}
      role="alertdialog"
    >
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner px="12px">
          <Dialog.Content borderRadius="card">
            <Dialog.Header>
              <Dialog.Title>{t('testDetail.delete.title')}</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
              <Text>{t('testDetail.delete.text', { name: test.name })}</Text>
              {del.error ? (
                <Box mt="12px">
                  <ActionError error={del.error} />
                </Box>
              ) : null}
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.ActionTrigger asChild>
                <Button variant="outline">{t('testDetail.delete.cancel')}</Button>
              </Dialog.ActionTrigger>
              <Button
                colorPalette="red"
                loading={del.isPending}
                onClick={() =>
                  del.mutate(test.id, { onSuccess: () => navigate('/tests', { replace: true }) })
                }
                data-testid="confirm-delete"
              >
                {t('testDetail.delete.confirm')}
              </Button>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}

export default function TestDetail() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { testId } = useParams();
  const q = useTest(testId);
  const projects = useProjectOptions();
  const run = useRunTest();
  const [deleting, setDeleting] = useState(false);
  const latest = useTestRuns(testId, { limit: 1 }, { poll: !!q.data && isActive(q.data.status) });
  const qc = useQueryClient();
  const ended =
    !!q.data &&
    isActive(q.data.status) &&
    !!latest.data?.runs[0] &&
    !isActive(latest.data.runs[0].status);
  useEffect(() => {
    // the latest run ended: the test's status (the latest run's) and its runs are old now
    if (ended) void qc.invalidateQueries({ queryKey: ['tests'] });
  }, [ended, qc]);

  if (q.isPending)
    return (
      <Stack gap="24px" aria-busy="true" aria-label={t('common.loading')}>
        <Card>
          <Skeleton h="28px" w="50%" />
          <Skeleton h="16px" w="30%" mt="8px" />
        </Card>
        <Card>
          <Skeleton h="160px" />
        </Card>
      </Stack>
    );
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;

  const test = q.data;
  const active = isActive(test.status);
  const latestRun = latest.data?.runs[0];
  // the test's status is its latest run's; a run that ended since makes the test's old
  const busy = active && (!latestRun || isActive(latestRun.status));
  const project = projects.data?.projects.find((p) => p.id === test.project_id);
  const doRun = () =>
    run.mutate(test.id, { onSuccess: (r) => navigate(`/tests/${test.id}/runs/${r.id}`) });

  return (
    <Stack gap="24px">
      <Card>
        <Flex
          gap="16px"
          align={{ base: 'flex-start', md: 'center' }}
          direction={{ base: 'column', md: 'row' }}
        >
          <Box flex="1" minW={0}>
            <Heading as="h2" fontSize="xl" color="gray.700" data-testid="test-name-heading">
              {test.name}
            </Heading>
            <Flex gap="8px" align="center" wrap="wrap" mt="6px" fontSize="sm" color="fg.muted">
              <Badge
                variant="outline"
                colorPalette="teal"
                borderRadius="badge"
                textTransform="none"
              >
                {t(`tests.type.${test.type}`)}
              </Badge>
              {test.status === 'draft' ? (
                <Text>{t('testList.neverRun')}</Text>
              ) : (
                <Flex as="span" gap="4px" align="center">
                  <Text as="span">{t('testDetail.latestRun')}</Text>
                  <StatusBadge status={test.status} />
                </Flex>
              )}
              {project ? <Text>{t('testDetail.inProject', { name: project.name })}</Text> : null}
              <Text>
                {t('testDetail.updated', { date: formatDateTime(test.updated_at, i18n.language) })}
              </Text>
            </Flex>
          </Box>
          <Flex gap="8px" wrap="wrap">
            <Button
              colorPalette="teal"
              onClick={doRun}
              loading={run.isPending}
              disabled={busy}
              data-testid="run-test"
            >
              <PlayIcon boxSize="14px" />
              {t('testDetail.run')}
            </Button>
            <Button
              variant="outline"
              onClick={() => navigate(`/tests/${test.id}/edit`)}
              disabled={busy}
              data-testid="edit-test"
            >
              <PencilIcon boxSize="14px" />
              {t('testDetail.edit')}
            </Button>
            <Button
              variant="outline"
              colorPalette="red"
              onClick={() => setDeleting(true)}
              disabled={busy}
              data-testid="delete-test"
            >
              <TrashIcon boxSize="14px" />
              {t('testDetail.delete.button')}
            </Button>
          </Flex>
        </Flex>
        {busy ? (
          <Alert.Root status="info" borderRadius="12px" mt="14px">
            <Alert.Indicator />
            <Alert.Content>
              <Alert.Title>{t('testDetail.busy.title')}</Alert.Title>
              <Alert.Description>{t('testDetail.busy.text')}</Alert.Description>
            </Alert.Content>
            {latestRun ? (
              <Button
                size="sm"
                variant="outline"
                onClick={() => navigate(`/tests/${test.id}/runs/${latestRun.id}`)}
              >
                {t('testDetail.busy.follow')}
              </Button>
            ) : null}
          </Alert.Root>
        ) : null}
        {run.error ? (
          <Box mt="14px">
            <ActionError error={run.error} onRetry={doRun} />
          </Box>
        ) : null}
      </Card>
      <Runs test={test} onRun={doRun} running={run.isPending} />
      <SimpleGrid columns={{ base: 1, xl: 5 }} gap="24px" alignItems="start">
        <Box gridColumn={{ xl: 'span 3' }} minW={0}>
          <SpecSummary test={test} />
        </Box>
        <Box gridColumn={{ xl: 'span 2' }} minW={0}>
          <EstimateCard test={test} />
        </Box>
      </SimpleGrid>
      <DeleteDialog test={test} open={deleting} onOpenChange={setDeleting} />
    </Stack>
  );
}
