import { Badge, type BadgeProps } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import type { TestStatus } from '../api/types';
import { useLlmStatus } from '../api/usage';
import { ChipIcon } from './Icons';

const STATUS_PALETTE: Record<TestStatus, string> = {
  draft: 'gray',
  queued: 'blue',
  running: 'teal',
  paused: 'orange',
  completed: 'green',
  failed: 'red',
  cancelled: 'gray',
};

export function StatusBadge({ status }: { status: TestStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      colorPalette={STATUS_PALETTE[status] ?? 'gray'}
      variant="subtle"
      borderRadius="badge"
      px="10px"
      py="3px"
      textTransform="none"
    >
      {t(`tests.status.${status}`)}
    </Badge>
  );
}

/**
 * "Offline model": shown wherever results or model status come from the
 * built-in offline simulator rather than a language model.
 */
export function OfflineModelBadge(props: BadgeProps) {
  const { t } = useTranslation();
  const { data } = useLlmStatus();
  if (!data || data.provider !== 'offline') return null;
  return (
    <Badge
      data-testid="offline-model-badge"
      colorPalette="orange"
      variant="subtle"
      borderRadius="badge"
      px="8px"
      py="3px"
      gap="4px"
      textTransform="none"
      title={t('model.offlineHint')}
      {...props}
    >
      <ChipIcon boxSize="14px" />
      {t('model.offline')}
    </Badge>
  );
}
