/*
 * A run that failed or was cancelled: what happened, what it had done, and
 * the ways forward - run the test again, go back to it, or look at the
 * answers it had collected (the report of a partial run, made without the
 * model).
 */
import { Alert, Box, Button, Flex, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import type { Run } from '../../../api/runs';
import { Card } from '../../../components/Card';
import { formatNumber } from '../../../lib/format';
import { failureKey } from './labels';
import { RunAgainButton } from './RunHeader';

export function RunEnded({
  run,
  testId,
  showingPartial,
  onShowPartial,
}: {
  run: Run;
  testId: string;
  showingPartial: boolean;
  onShowPartial: () => void;
}) {
  const { t, i18n } = useTranslation();
  const failed = run.status === 'failed';
  const why = failureKey(run.error);
  const done = run.progress?.done ?? 0;
  const total = run.progress?.total ?? 0;
  return (
    <Card data-testid="run-ended" data-status={run.status}>
      <Alert.Root status={failed ? 'error' : 'info'} borderRadius="12px" alignItems="flex-start">
        <Alert.Indicator />
        <Alert.Content gap="4px">
          <Alert.Title fontWeight="bold" fontSize="md">
            {failed ? t('run.ended.failedTitle') : t('run.ended.cancelledTitle')}
          </Alert.Title>
          <Alert.Description>
            <Text>{failed ? t('run.ended.failedText') : t('run.ended.cancelledText')}</Text>
            {why ? <Text mt="4px">{t(why)}</Text> : null}
            {failed && run.error ? (
              <Text fontSize="sm" color="fg.muted" mt="4px" data-testid="run-error">
                {t('run.ended.detail', { detail: run.error })}
              </Text>
            ) : null}
          </Alert.Description>
        </Alert.Content>
      </Alert.Root>
      <Box mt="16px">
        <Text color="gray.700">
          {total > 0
            ? t('run.ended.progress', {
                done: formatNumber(done, i18n.language),
                total: formatNumber(total, i18n.language),
              })
            : t('run.ended.noProgress')}
        </Text>
        <Text color="fg.muted" fontSize="sm" mt="4px">
          {failed ? t('run.ended.nextFailed') : t('run.ended.nextCancelled')}
        </Text>
      </Box>
      <Flex gap="8px" mt="16px" wrap="wrap" align="flex-start">
        <RunAgainButton testId={testId} testIdAttr="run-again-ended" />
        {done > 0 && !showingPartial ? (
          <Button
            size="sm"
            variant="ghost"
            colorPalette="teal"
            onClick={onShowPartial}
            data-testid="show-partial"
          >
            {t('run.ended.showPartial')}
          </Button>
        ) : null}
      </Flex>
    </Card>
  );
}
