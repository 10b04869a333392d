/*
 * /billing: the current plan and its allowance, the plans side by side with
 * upgrade and downgrade (the amount shown before confirming), extra personas,
 * and the invoices. Every member reads it; only admins change anything.
 */
import { Alert, Box, Button, Skeleton, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { useBilling, usePlans } from '../../api/billing';
import type { Plan } from '../../api/types';
import { Card, CardHeader } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { PageSkeleton } from '../../components/Skeletons';
import { formatDate, formatUsd } from '../../lib/format';
import { CurrentPlanCard } from './CurrentPlan';
import { ExtraPersonasCard } from './ExtraPersonas';
import { InvoicesCard } from './Invoices';
import { PlanCards } from './PlanCards';
import { PlanChangeDialog, type PlanChangeDone } from './PlanChangeDialog';
import { centsToUsd } from './logic';

type Notice = { text: string; detail?: string | undefined };

export default function BillingPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const me = useMe();
  const billing = useBilling();
  const plans = usePlans();
  const [choice, setChoice] = useState<{ plan: Plan; move: 'upgrade' | 'downgrade' } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const plansRef = useRef<HTMLDivElement>(null);
  const canManage = me.data?.user.role === 'admin' && !me.data.via_api_key;
  const planName = (p: string) => t(`plans.${p}`, { defaultValue: p });
  const money = (cents: number) => formatUsd(centsToUsd(cents), lng);

  const charged = (totalCents: number, quotedCents: number) =>
    totalCents === quotedCents
      ? undefined
      : t('billing.notice.differs', { quoted: money(quotedCents), charged: money(totalCents) });

  const done = (d: PlanChangeDone) => {
    setChoice(null);
    if (d.move === 'upgrade') {
      const inv = d.charged.invoice;
      setNotice({
        text: t('billing.notice.upgraded', {
          plan: planName(d.plan),
          amount: money(inv.total_cents),
          number: inv.number,
        }),
        detail: charged(inv.total_cents, d.quotedCents),
      });
    } else {
      setNotice({
        text: t('billing.notice.scheduled', {
          plan: planName(d.plan),
          date: formatDate(d.billing.scheduled_change?.effective_at ?? d.billing.period.end, lng),
        }),
      });
    }
  };

  if (billing.isPending || plans.isPending) return <PageSkeleton />;
  if (billing.isError || plans.isError)
    return (
      <ErrorState
        error={billing.error ?? plans.error}
        onRetry={() => {
          void billing.refetch();
          void plans.refetch();
        }}
      />
    );
  const b = billing.data;

  return (
    <Stack gap="24px">
      {me.data && !canManage ? (
        <Alert.Root status="info" borderRadius="card" data-testid="billing-read-only">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>{t('billing.readOnly.title')}</Alert.Title>
            <Alert.Description>{t('billing.readOnly.text')}</Alert.Description>
          </Alert.Content>
        </Alert.Root>
      ) : null}
      {notice ? (
        <Alert.Root
          status="success"
          borderRadius="card"
          data-testid="billing-notice"
          role="status"
          alignItems="flex-start"
        >
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>{notice.text}</Alert.Title>
            {notice.detail ? <Alert.Description>{notice.detail}</Alert.Description> : null}
          </Alert.Content>
          <Button size="xs" variant="ghost" onClick={() => setNotice(null)}>
            {t('billing.notice.dismiss')}
          </Button>
        </Alert.Root>
      ) : null}

      <SimpleGrid columns={{ base: 1, xl: 2 }} gap="24px" alignItems="start">
        <CurrentPlanCard
          billing={b}
          canManage={canManage}
          onCancelled={() => setNotice({ text: t('billing.notice.cancelled') })}
        />
        <ExtraPersonasCard
          billing={b}
          canManage={canManage}
          onSeePlans={() => plansRef.current?.scrollIntoView({ behavior: 'smooth' })}
          onDone={(c, quoted) =>
            setNotice({
              text: t('billing.notice.bought', {
                count: c.invoice.lines[0]?.quantity ?? 0,
                amount: money(c.invoice.total_cents),
                number: c.invoice.number,
              }),
              detail: charged(c.invoice.total_cents, quoted),
            })
          }
        />
      </SimpleGrid>

      <Box ref={plansRef} id="plans" scrollMarginTop="100px">
        <Card>
          <CardHeader title={t('billing.plans.title')} subtitle={t('billing.plans.subtitle')} />
          {me.isPending ? <Skeleton h="16px" w="40%" mb="12px" /> : null}
          <PlanCards
            plans={plans.data}
            billing={b}
            canManage={canManage}
            onChoose={(plan, move) => setChoice({ plan, move })}
          />
          <Text fontSize="xs" color="fg.muted" mt="14px">
            {t('billing.plans.footnote')}
          </Text>
        </Card>
      </Box>

      <InvoicesCard />

      {choice ? (
        <PlanChangeDialog
          move={choice.move}
          target={choice.plan}
          billing={b}
          onClose={() => setChoice(null)}
          onDone={done}
        />
      ) : null}
    </Stack>
  );
}
