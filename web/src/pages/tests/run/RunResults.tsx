/*
 * A run's results (GET .../report; .../results for one persona's rows): the
 * head (figures, model, exports), the insights and success criteria, the
 * variants compared, a journey's funnel, every question's answers, the
 * segments, the themes, a focus group's discussion and each persona's
 * answers. Loaded as a chunk of its own with the charts.
 */
import { SimpleGrid, Stack } from '@chakra-ui/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useReport, type Run } from '../../../api/runs';
import type { Test } from '../../../api/tests';
import { ErrorState } from '../../../components/ErrorState';
import { FunnelSection } from './FunnelSection';
import { scenarioLabeler } from './labels';
import { QuestionsSection } from './QuestionsSection';
import { ResultsSkeleton } from './ResultsSkeleton';
import { CriteriaCard, InsightsCard, ResultsHead, SummaryStats } from './ResultsSummary';
import { SegmentsSection } from './SegmentsSection';
import { DiscussionSection, ThemesSection } from './ThemesSection';
import { TranscriptsSection } from './TranscriptsSection';
import { VariantsSection } from './VariantsSection';

export default function RunResults({
  testId,
  runId,
  test,
  partial,
}: {
  testId: string;
  runId: string;
  run: Run;
  test: Test | undefined;
  partial: boolean;
}) {
  const { t } = useTranslation();
  const report = useReport(testId, runId);
  const journey = (test?.type ?? report.data?.test.type) === 'journey';
  const scopeLabel = useMemo(
    () =>
      scenarioLabeler(
        t,
        report.data?.scenarios.map((s) => ({ id: s.id, title: s.title })) ??
          test?.config.scenarios ??
          [],
        journey,
      ),
    [t, report.data, test, journey],
  );

  if (report.isPending) return <ResultsSkeleton />;
  if (report.isError)
    return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data;

  return (
    <Stack gap="24px" data-testid="run-results">
      <SummaryStats report={r} />
      <ResultsHead report={r} testId={testId} runId={runId} partial={partial} />
      <SimpleGrid columns={{ base: 1, lg: 2 }} gap="24px">
        <InsightsCard report={r} />
        <CriteriaCard report={r} />
      </SimpleGrid>
      <VariantsSection report={r} test={test} />
      <FunnelSection report={r} />
      <QuestionsSection report={r} scopeLabel={scopeLabel} />
      <SegmentsSection report={r} />
      <ThemesSection report={r} />
      <DiscussionSection report={r} />
      <TranscriptsSection
        testId={testId}
        runId={runId}
        report={r}
        test={test}
        scopeLabel={scopeLabel}
      />
    </Stack>
  );
}
