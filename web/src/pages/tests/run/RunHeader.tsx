/* The run's header: which test, which run, its status, and the ways out (the test, run again). */
import { Box, Button, Flex, Heading, Skeleton, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate } from 'react-router';
import type { Run } from '../../../api/runs';
import { useRunTest, type Test } from '../../../api/tests';
import { ActionError } from '../../../components/ActionError';
import { StatusBadge } from '../../../components/Badges';
import { Card } from '../../../components/Card';
import { ChevronLeftIcon } from '../../../components/Icons';
import { formatDateTime } from '../../../lib/format';

/** "Run again": a new run of the test, then its page. */
export function RunAgainButton({
  testId,
  variant = 'solid',
  testIdAttr = 'run-again',
}: {
  testId: string;
  variant?: 'solid' | 'outline';
  testIdAttr?: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const start = useRunTest();
  return (
    <Flex direction="column" gap="8px" align="stretch">
      <Button
        size="sm"
        colorPalette="teal"
        variant={variant}
        loading={start.isPending}
        data-testid={testIdAttr}
        onClick={() =>
          start.mutate(testId, {
            onSuccess: (run) => void navigate(`/tests/${testId}/runs/${run.id}`),
          })
        }
      >
        {t('run.actions.runAgain')}
      </Button>
      {start.isError ? (
        <ActionError
          error={start.error}
          onRetry={() => start.mutate(testId)}
          onDismiss={() => start.reset()}
          dismissLabel={t('run.actions.dismiss')}
          message={
            start.error && 'status' in start.error && start.error.status === 409
              ? t('run.errors.alreadyRunning')
              : null
          }
        />
      ) : null}
    </Flex>
  );
}

export function RunHeader({
  run,
  test,
  testId,
  testPending = false,
}: {
  run: Run;
  test: Test | undefined;
  testId: string;
  /** the test is still loading: its name is a placeholder meanwhile */
  testPending?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const name = test?.name ?? t('run.header.untitled');
  const when = run.started_at ?? run.created_at;
  return (
    <Card data-testid="run-header">
      <Flex gap="16px" align={{ base: 'flex-start', md: 'center' }} wrap="wrap">
        <Box flex="1" minW="220px">
          <Flex align="center" gap="10px" wrap="wrap">
            {testPending ? (
              <Skeleton h="26px" w="240px" />
            ) : (
              <Heading
                as="h2"
                fontSize="xl"
                fontWeight="bold"
                color="gray.700"
                data-testid="run-test-name"
              >
                {name}
              </Heading>
            )}
            <StatusBadge status={run.status} />
          </Flex>
          <Text fontSize="sm" color="fg.muted" mt="4px">
            {[
              test ? t('run.header.type', { type: t(`tests.type.${test.type}`) }) : null,
              run.started_at
                ? t('run.header.started', { when: formatDateTime(when, i18n.language) })
                : t('run.header.created', { when: formatDateTime(when, i18n.language) }),
              t('run.header.seed', { seed: run.seed }),
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Box>
        <Flex gap="8px" wrap="wrap" align="flex-start">
          <Button asChild size="sm" variant="outline" data-testid="back-to-test">
            <RouterLink to={`/tests/${testId}`}>
              <ChevronLeftIcon boxSize="16px" />
              {t('run.actions.backToTest')}
            </RouterLink>
          </Button>
          {run.status === 'completed' ? <RunAgainButton testId={testId} variant="outline" /> : null}
        </Flex>
      </Flex>
    </Card>
  );
}
