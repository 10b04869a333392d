/*
 * A journey's funnel: how many personas reached each step, how many gave up
 * there and why (their own words, most said first).
 */
import { Alert, Badge, Box, Flex, Stack, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import type { Report } from '../../../api/runs';
import { Card, CardHeader } from '../../../components/Card';
import { funnelRows, worstStep } from './chartData';
import { formatShare } from './format';

export function FunnelSection({ report }: { report: Report }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const steps = report.funnel?.steps ?? [];
  if (steps.length === 0) return null;
  const rows = funnelRows(steps);
  const start = rows[0]?.reached ?? 0;
  const worst = worstStep(rows);
  const last = rows[rows.length - 1];
  return (
    <Card data-testid="funnel">
      <CardHeader
        title={t('results.funnel.title')}
        subtitle={t('results.funnel.subtitle', {
          finished: last?.continued ?? 0,
          start,
          share: formatShare(start > 0 ? (last?.continued ?? 0) / start : 0, lng),
        })}
      />
      {worst ? (
        <Alert.Root status="warning" borderRadius="12px" mb="16px" data-testid="funnel-worst">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title fontWeight="bold">
              {t('results.funnel.worstTitle', {
                step: rows.indexOf(worst) + 1,
                title: worst.label,
              })}
            </Alert.Title>
            <Alert.Description>
              {t('results.funnel.worstText', {
                abandoned: worst.abandoned,
                reached: worst.reached,
                share: formatShare(worst.dropOff, lng),
              })}
            </Alert.Description>
          </Alert.Content>
        </Alert.Root>
      ) : null}
      <Stack as="ol" gap="14px" listStyleType="none" p={0} m={0}>
        {rows.map((r, i) => {
          const width = start > 0 ? (r.reached / start) * 100 : 0;
          const kept = start > 0 ? (r.continued / start) * 100 : 0;
          return (
            <Box as="li" key={r.id} data-testid="funnel-step">
              <Flex justify="space-between" gap="8px" wrap="wrap" mb="4px">
                <Text fontWeight="bold" color="gray.700">
                  {t('results.labels.step', { n: i + 1, title: r.label })}
                </Text>
                <Flex gap="6px" align="center" wrap="wrap">
                  <Text fontSize="sm" color="gray.700">
                    {t('results.funnel.reached', { count: r.reached })}
                  </Text>
                  {r.abandoned > 0 ? (
                    <Badge
                      colorPalette="orange"
                      variant="subtle"
                      borderRadius="badge"
                      textTransform="none"
                    >
                      {t('results.funnel.abandoned', {
                        count: r.abandoned,
                        share: formatShare(r.dropOff, lng),
                      })}
                    </Badge>
                  ) : null}
                  {r.failed > 0 ? (
                    <Badge
                      colorPalette="red"
                      variant="subtle"
                      borderRadius="badge"
                      textTransform="none"
                    >
                      {t('results.funnel.failed', { count: r.failed })}
                    </Badge>
                  ) : null}
                </Flex>
              </Flex>
              <Box
                position="relative"
                h="14px"
                bg="gray.100"
                borderRadius="full"
                role="img"
                aria-label={t('results.funnel.barLabel', {
                  reached: r.reached,
                  continued: r.continued,
                  start,
                })}
              >
                <Box
                  position="absolute"
                  insetY={0}
                  left={0}
                  w={`${width}%`}
                  bg="orange.200"
                  borderRadius="full"
                />
                <Box
                  position="absolute"
                  insetY={0}
                  left={0}
                  w={`${kept}%`}
                  bg="teal.300"
                  borderRadius="full"
                />
              </Box>
              {r.reasons.length ? (
                <Box mt="8px" pl="12px" borderLeft="3px solid" borderColor="orange.200">
                  <Text fontSize="xs" color="fg.muted" fontWeight="bold">
                    {t('results.funnel.reasons')}
                  </Text>
                  <Stack gap="2px" mt="2px">
                    {r.reasons.map((reason) => (
                      <Text key={reason.text} fontSize="sm" color="gray.700">
                        “{reason.text}”{' '}
                        <Text as="span" color="fg.muted">
                          {t('results.funnel.times', { count: reason.count })}
                        </Text>
                      </Text>
                    ))}
                  </Stack>
                </Box>
              ) : null}
            </Box>
          );
        })}
      </Stack>
      <Flex gap="16px" mt="12px" fontSize="xs" color="fg.muted" wrap="wrap">
        <Flex align="center" gap="6px">
          <Box w="10px" h="10px" borderRadius="3px" bg="teal.300" aria-hidden="true" />
          {t('results.funnel.legendContinued')}
        </Flex>
        <Flex align="center" gap="6px">
          <Box w="10px" h="10px" borderRadius="3px" bg="orange.200" aria-hidden="true" />
          {t('results.funnel.legendLost')}
        </Flex>
      </Flex>
    </Card>
  );
}
