import { Box, Flex, Progress, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import type { Meter } from '../api/types';
import { formatNumber, percentUsed } from '../lib/format';

/** One meter of GET /api/usage: used against the limit, amber from 80 %, red when full. */
export function UsageMeter({ label, meter }: { label: string; meter: Meter }) {
  const { t, i18n } = useTranslation();
  const pct = percentUsed(meter.used, meter.limit);
  const full = meter.limit !== null && meter.used >= meter.limit;
  const palette = full ? 'red' : meter.approaching_limit ? 'orange' : 'teal';
  const valueText =
    meter.limit === null
      ? t('usage.ofUnlimited', { used: formatNumber(meter.used, i18n.language) })
      : t('usage.of', {
          used: formatNumber(meter.used, i18n.language),
          limit: formatNumber(meter.limit, i18n.language),
        });
  return (
    <Box>
      <Flex justify="space-between" align="baseline" mb="6px" gap="8px">
        <Text fontSize="sm" fontWeight="bold" color="gray.700">
          {label}
        </Text>
        <Text
          fontSize="sm"
          color={full ? 'red.700' : 'fg.muted'}
          fontWeight={full ? 'bold' : 'normal'}
        >
          {valueText}
        </Text>
      </Flex>
      <Progress.Root
        value={pct ?? 0}
        max={100}
        size="sm"
        colorPalette={palette}
        translations={{ value: () => `${label}: ${valueText}` }}
      >
        <Progress.Track borderRadius="full" bg="gray.100">
          <Progress.Range borderRadius="full" bg={palette === 'teal' ? 'teal.300' : undefined} />
        </Progress.Track>
      </Progress.Root>
    </Box>
  );
}
