/*
 * /tests/:testId/runs/:runId - one run: the live monitor while it is
 * queued, running or paused; its results once completed (the page turns
 * into them when the stream says so, without a reload); what happened and
 * the way forward when it failed or was cancelled.
 */
import { Skeleton, Stack, VisuallyHidden } from '@chakra-ui/react';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { runKey, useRun, type Run, type RunStatus } from '../../../api/runs';
import { useTest } from '../../../api/tests';
import { Card } from '../../../components/Card';
import { ErrorState } from '../../../components/ErrorState';
import { RunEnded } from './RunEnded';
import { ResultsSkeleton } from './ResultsSkeleton';
import { RunHeader } from './RunHeader';
import { RunMonitor } from './RunMonitor';

const RunResults = lazy(() => import('./RunResults'));

const isActive = (s: RunStatus) => s === 'queued' || s === 'running' || s === 'paused';

function RunSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="24px" aria-busy="true" aria-label={t('common.loading')}>
      <Card>
        <Skeleton h="24px" w="40%" />
        <Skeleton h="14px" w="60%" mt="10px" />
      </Card>
      <ResultsSkeleton />
    </Stack>
  );
}

export default function RunPage() {
  const { testId = '', runId = '' } = useParams();
  // another run of the test (after "Run again") starts with a fresh page state
  return <RunView key={runId} testId={testId} runId={runId} />;
}

function RunView({ testId, runId }: { testId: string; runId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const run = useRun(testId, runId);
  const test = useTest(testId);
  const [partial, setPartial] = useState(false);
  const [announce, setAnnounce] = useState('');
  // a run seen running that ends while the page is open is announced
  const status = run.data?.status;
  const [seen, setSeen] = useState(status);
  if (status !== seen) {
    setSeen(status);
    if (status && seen && isActive(seen) && !isActive(status))
      setAnnounce(t(`run.announce.${status}`));
  }

  const onEnded = useCallback(
    (status: RunStatus, error: string | null) => {
      qc.setQueryData<Run>(runKey(testId, runId), (old) =>
        old ? { ...old, status, requested: null, error: error ?? old.error } : old,
      );
      // the final figures (tokens, cost, finished_at), the test's status, the lists
      void qc.invalidateQueries({ queryKey: runKey(testId, runId) });
      void qc.invalidateQueries({ queryKey: ['tests'], refetchType: 'none' });
      void qc.invalidateQueries({ queryKey: ['runs', testId, runId] });
    },
    [qc, testId, runId],
  );

  if (run.isPending) return <RunSkeleton />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => void run.refetch()} />;

  const r = run.data;
  const active = isActive(r.status);
  return (
    <Stack gap="24px" data-testid="run-page" data-status={r.status}>
      <RunHeader run={r} test={test.data} testPending={test.isPending} testId={testId} />
      {active ? (
        <RunMonitor
          key={runId}
          testId={testId}
          runId={runId}
          run={r}
          runAt={run.dataUpdatedAt}
          test={test.data}
          onEnded={onEnded}
        />
      ) : null}
      {r.status === 'failed' || r.status === 'cancelled' ? (
        <RunEnded
          run={r}
          testId={testId}
          showingPartial={partial}
          onShowPartial={() => setPartial(true)}
        />
      ) : null}
      {r.status === 'completed' || (partial && !active) ? (
        <Suspense fallback={<ResultsSkeleton />}>
          <RunResults
            testId={testId}
            runId={runId}
            run={r}
            test={test.data}
            partial={r.status !== 'completed'}
          />
        </Suspense>
      ) : null}
      <VisuallyHidden aria-live="polite" data-testid="run-announce">
        {announce}
      </VisuallyHidden>
    </Stack>
  );
}
