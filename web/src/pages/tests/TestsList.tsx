/*
 * /tests - the workspace's tests, newest first: filters by status, type and
 * project kept in the URL, pages of 20, each test's latest run (its state,
 * and the progress of one that is going), and the way to a new test.
 */
import {
  Box,
  Button,
  Flex,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@chakra-ui/react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { isActive, useProjectOptions, useTestRuns, useTests } from '../../api/tests';
import type { TestSummary } from '../../api/types';
import { StatusBadge } from '../../components/Badges';
import { Card, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { PlusIcon, SearchIcon, TestsIcon } from '../../components/Icons';
import { Pager } from '../../components/Pager';
import { SelectFilter } from '../../components/SelectFilter';
import { formatDateTime, formatNumber } from '../../lib/format';
import {
  apiParams,
  isFiltered,
  LIST_PAGE_SIZE,
  listStateFromParams,
  STATUSES,
  TYPES,
  withParam,
} from './listParams';
import { shapeText } from './summary';
import type { Test } from '../../api/tests';

/** The latest run of a test whose run has not ended: its progress, polled until it ends. */
function LiveProgress({ testId }: { testId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useTestRuns(testId, { limit: 1 }, { poll: true });
  const run = q.data?.runs[0];
  const ended = run && !isActive(run.status);
  useEffect(() => {
    // the run ended: the list's status (the latest run's) is old now
    if (ended) void qc.invalidateQueries({ queryKey: ['tests'] });
  }, [ended, qc]);
  if (!run || ended) return null;
  const { done, total } = run.progress;
  const pct = total > 0 ? Math.round((done / total) * 100) : 0;
  return (
    <Box mt="4px" maxW="140px">
      <Progress.Root
        value={total > 0 ? pct : null}
        size="xs"
        colorPalette="teal"
        translations={{ value: () => t('testList.progress', { done, total }) }}
      >
        <Progress.Track borderRadius="full" bg="gray.100">
          <Progress.Range bg="teal.300" />
        </Progress.Track>
      </Progress.Root>
      <Text fontSize="xs" color="fg.muted">
        {t('testList.progress', { done, total })}
      </Text>
    </Box>
  );
}

function LatestRun({ test }: { test: TestSummary }) {
  const { t } = useTranslation();
  if (test.status === 'draft')
    return (
      <Text fontSize="sm" color="fg.muted">
        {t('testList.neverRun')}
      </Text>
    );
  return (
    <Box>
      <StatusBadge status={test.status} />
      {isActive(test.status) ? <LiveProgress testId={test.id} /> : null}
    </Box>
  );
}

function TableSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="10px" aria-busy="true" aria-label={t('common.loading')}>
      {Array.from({ length: 5 }, (_, i) => (
        <Flex key={i} gap="16px" align="center">
          <Skeleton h="36px" flex="3" />
          <Skeleton h="20px" flex="1" />
          <Skeleton h="20px" flex="1" />
          <Skeleton h="20px" flex="1" hideBelow="md" />
        </Flex>
      ))}
    </Stack>
  );
}

export default function TestsList() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const state = listStateFromParams(params);
  const q = useTests(apiParams(state));
  const projects = useProjectOptions();
  const filtered = isFiltered(state);
  const projectName = (id?: string) => projects.data?.projects.find((p) => p.id === id)?.name ?? '';
  const set = (key: string, value: string) =>
    setParams((prev) => withParam(prev, key, value), { replace: key !== 'page' });
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const tests = (q.data?.tests ?? []) as (TestSummary & Partial<Pick<Test, 'config'>>)[];

  const newTest = (
    <Button
      colorPalette="teal"
      size="sm"
      borderRadius="12px"
      onClick={() => navigate('/tests/new')}
      data-testid="new-test"
    >
      <PlusIcon boxSize="16px" />
      {t('testList.new')}
    </Button>
  );

  return (
    <Stack gap="24px">
      <Card>
        <CardHeader
          title={t('testList.title')}
          subtitle={
            q.data
              ? t('testList.count', {
                  count: q.data.total,
                  formatted: formatNumber(q.data.total, i18n.language),
                })
              : t('testList.subtitle')
          }
          actions={newTest}
        />
        <SimpleGrid
          columns={{ base: 1, sm: 3 }}
          gap="12px"
          role="search"
          aria-label={t('testList.filters')}
        >
          <SelectFilter
            label={t('testList.status')}
            value={state.status ?? ''}
            onChange={(v) => set('status', v)}
            testId="filter-status"
          >
            <option value="">{t('testList.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`tests.status.${s}`)}
              </option>
            ))}
          </SelectFilter>
          <SelectFilter
            label={t('testList.type')}
            value={state.type ?? ''}
            onChange={(v) => set('type', v)}
            testId="filter-type"
          >
            <option value="">{t('testList.any')}</option>
            {TYPES.map((x) => (
              <option key={x} value={x}>
                {t(`tests.type.${x}`)}
              </option>
            ))}
          </SelectFilter>
          <SelectFilter
            label={t('testList.project')}
            value={state.project ?? ''}
            onChange={(v) => set('project', v)}
            testId="filter-project"
          >
            <option value="">{t('testList.anyProject')}</option>
            {(projects.data?.projects ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectFilter>
        </SimpleGrid>
        {filtered ? (
          <Flex mt="12px" justify="flex-end">
            <Button size="xs" variant="ghost" color="teal.700" onClick={clear}>
              {t('testList.clear')}
            </Button>
          </Flex>
        ) : null}
      </Card>

      <Card aria-live="polite" aria-busy={q.isFetching}>
        {q.isPending ? (
          <TableSkeleton />
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : tests.length === 0 ? (
          filtered || state.page > 1 ? (
            <EmptyState
              icon={<SearchIcon boxSize="26px" />}
              title={t('testList.noMatchTitle')}
              description={t('testList.noMatchText')}
              actions={
                <Button variant="outline" size="sm" onClick={clear}>
                  {t('testList.clear')}
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={<TestsIcon boxSize="26px" />}
              title={t('testList.emptyTitle')}
              description={t('testList.emptyText')}
              actions={
                <>
                  {newTest}
                  <Button
                    variant="outline"
                    size="sm"
                    onClick={() => navigate('/personas/templates')}
                  >
                    {t('testList.addPersonas')}
                  </Button>
                </>
              }
            />
          )
        ) : (
          <Stack gap="16px">
            <Table.ScrollArea>
              <Table.Root
                size="sm"
                variant="line"
                data-testid="tests-table"
                opacity={q.isPlaceholderData ? 0.6 : 1}
              >
                <Table.Header>
                  <Table.Row>
                    {[
                      ['name', {}],
                      ['type', { hideBelow: 'sm' }],
                      ['latest', {}],
                      ['projectCol', { hideBelow: 'lg' }],
                      ['updated', { hideBelow: 'md' }],
                    ].map(([k, props]) => (
                      <Table.ColumnHeader
                        key={k as string}
                        color="fg.muted"
                        textTransform="uppercase"
                        fontSize="xs"
                        ps={k === 'name' ? 0 : undefined}
                        {...(props as object)}
                      >
                        {t(`testList.col.${k as string}`)}
                      </Table.ColumnHeader>
                    ))}
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {tests.map((test) => (
                    <Table.Row key={test.id} data-testid="test-row">
                      <Table.Cell ps={0} py="10px" minW="180px">
                        <RouterLink to={`/tests/${test.id}`}>
                          <Text
                            as="span"
                            fontWeight="bold"
                            color="gray.700"
                            _hover={{ color: 'teal.700' }}
                          >
                            {test.name}
                          </Text>
                        </RouterLink>
                        {test.config ? (
                          <Text fontSize="xs" color="fg.muted" lineClamp={1}>
                            {shapeText(test.config, test.type, t)}
                          </Text>
                        ) : null}
                        <Text fontSize="xs" color="fg.muted" hideFrom="sm">
                          {t(`tests.type.${test.type}`)}
                        </Text>
                      </Table.Cell>
                      <Table.Cell hideBelow="sm">{t(`tests.type.${test.type}`)}</Table.Cell>
                      <Table.Cell>
                        <LatestRun test={test} />
                      </Table.Cell>
                      <Table.Cell hideBelow="lg" color="fg.muted">
                        {projectName(test.project_id)}
                      </Table.Cell>
                      <Table.Cell hideBelow="md" color="fg.muted" whiteSpace="nowrap">
                        {formatDateTime(test.updated_at, i18n.language)}
                      </Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table.Root>
            </Table.ScrollArea>
            <Pager
              page={state.page}
              pages={pages}
              onPage={(p) => set('page', String(p))}
              showing={{
                from: (state.page - 1) * LIST_PAGE_SIZE + 1,
                to: (state.page - 1) * LIST_PAGE_SIZE + tests.length,
                total,
              }}
            />
          </Stack>
        )}
      </Card>
    </Stack>
  );
}
