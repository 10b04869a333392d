/* The current plan: price, period, charges, the allowance as meters, and a scheduled change. */
import { Alert, Badge, Box, Button, Flex, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { useCancelScheduledChange, type Billing } from '../../api/billing';
import { ActionError } from '../../components/ActionError';
import { Card, CardHeader } from '../../components/Card';
import { IconBox } from '../../components/IconBox';
import { BillingIcon } from '../../components/Icons';
import { UsageMeter } from '../../components/UsageMeter';
import { formatDate, formatDateTime, formatNumber, formatUsd } from '../../lib/format';
import { centsToUsd, meterOf } from './logic';

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Box>
      <Text fontSize="xs" color="fg.muted" fontWeight="bold" textTransform="uppercase">
        {label}
      </Text>
      <Text fontSize="md" fontWeight="bold" color="gray.700" data-testid={testId}>
        {value}
      </Text>
    </Box>
  );
}

export function CurrentPlanCard({
  billing,
  canManage,
  onCancelled,
}: {
  billing: Billing;
  canManage: boolean;
  onCancelled: (b: Billing) => void;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const cancel = useCancelScheduledChange();
  const plan = t(`plans.${billing.plan}`, { defaultValue: billing.plan });
  const a = billing.allowance;
  const extra = a.personas.extra ?? 0;
  const pending = a.members.pending_invites ?? 0;
  const sc = billing.scheduled_change;

  return (
    <Card data-testid="current-plan">
      <CardHeader
        title={t('billing.current.title')}
        subtitle={t('billing.current.period', {
          start: formatDate(billing.period.start, lng),
          end: formatDate(billing.period.end, lng),
        })}
      />
      <Flex gap="16px" align="center" wrap="wrap" mb="20px">
        <IconBox size="45px">
          <BillingIcon boxSize="22px" />
        </IconBox>
        <Box flex="1" minW="160px">
          <Flex align="center" gap="8px" wrap="wrap">
            <Text fontSize="xl" fontWeight="bold" color="gray.700" data-testid="current-plan-name">
              {plan}
            </Text>
            {billing.custom_terms ? (
              <Badge
                colorPalette="purple"
                variant="subtle"
                borderRadius="badge"
                textTransform="none"
              >
                {t('billing.current.customTerms')}
              </Badge>
            ) : null}
          </Flex>
          <Text fontSize="sm" color="fg.muted">
            {billing.price_month_cents === null
              ? t('billing.current.priceContract')
              : t('billing.current.price', {
                  price: formatUsd(centsToUsd(billing.price_month_cents), lng),
                })}
          </Text>
        </Box>
      </Flex>

      <SimpleGrid columns={{ base: 1, sm: 3 }} gap="16px" mb="20px">
        <Fact label={t('billing.current.periodEnds')} value={formatDate(billing.period.end, lng)} />
        <Fact
          label={t('billing.current.charges')}
          value={t('billing.current.chargesValue', {
            total: formatUsd(centsToUsd(billing.charges_this_period.total_cents), lng),
            count: billing.charges_this_period.invoices,
          })}
          testId="charges-this-period"
        />
        <Fact
          label={t('billing.current.extraBought')}
          value={formatNumber(extra, lng)}
          testId="extra-bought"
        />
      </SimpleGrid>

      <Stack gap="14px">
        <Box>
          <UsageMeter label={t('usage.meters.personas')} meter={meterOf(a.personas)} />
          {extra > 0 && a.personas.plan != null ? (
            <Text fontSize="xs" color="fg.muted" mt="4px">
              {t('billing.current.personasSplit', {
                plan: formatNumber(a.personas.plan, lng),
                extra: formatNumber(extra, lng),
              })}
            </Text>
          ) : null}
        </Box>
        <UsageMeter label={t('usage.meters.projects')} meter={meterOf(a.projects)} />
        <Box>
          <UsageMeter label={t('usage.meters.members')} meter={meterOf(a.members)} />
          {pending > 0 ? (
            <Text fontSize="xs" color="fg.muted" mt="4px">
              {t('usage.pendingInvites', { count: pending })}
            </Text>
          ) : null}
        </Box>
      </Stack>

      {sc ? (
        <Alert.Root
          status="info"
          borderRadius="12px"
          mt="20px"
          alignItems="flex-start"
          data-testid="scheduled-change"
        >
          <Alert.Indicator />
          <Alert.Content gap="4px">
            <Alert.Title fontWeight="bold">
              {t('billing.scheduled.title', {
                plan: t(`plans.${sc.plan}`, { defaultValue: sc.plan }),
                date: formatDateTime(sc.effective_at, lng),
              })}
            </Alert.Title>
            <Alert.Description>
              <Text>{t('billing.scheduled.text', { plan })}</Text>
              {canManage ? (
                <Button
                  mt="8px"
                  size="sm"
                  variant="outline"
                  borderRadius="12px"
                  bg="white"
                  loading={cancel.isPending}
                  data-testid="cancel-scheduled"
                  onClick={() =>
                    cancel.mutate(undefined, { onSuccess: (r) => onCancelled(r.billing) })
                  }
                >
                  {t('billing.scheduled.cancel')}
                </Button>
              ) : null}
              {cancel.isError ? (
                <Box mt="8px">
                  <ActionError
                    error={cancel.error}
                    onRetry={() =>
                      cancel.mutate(undefined, { onSuccess: (r) => onCancelled(r.billing) })
                    }
                  />
                </Box>
              ) : null}
            </Alert.Description>
          </Alert.Content>
        </Alert.Root>
      ) : null}
    </Card>
  );
}
