/*
 * The confirmation of an upgrade or a downgrade: what it costs now (the
 * server's quote: an upgrade's prorated charge, a downgrade's nothing and its
 * date) before anything is done, and the refusal's figures when a downgrade
 * does not fit. The Idempotency-Key is made once when the dialog opens, so a
 * second click or a retry after a lost answer is the same request.
 */
import { Box, Skeleton, Stack, Text } from '@chakra-ui/react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  newIdempotencyKey,
  useDowngrade,
  useQuote,
  useUpgrade,
  type Billing,
  type Charged,
} from '../../api/billing';
import { isApiError } from '../../api/client';
import type { Plan } from '../../api/types';
import { ActionError } from '../../components/ActionError';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatDate, formatUsd } from '../../lib/format';
import { DowngradeRefusal } from './DowngradeRefusal';
import { centsToUsd, moneyToCentsOrZero, refusalOf, spanText } from './logic';

export type PlanChangeDone =
  | { move: 'upgrade'; plan: string; charged: Charged; quotedCents: number }
  | { move: 'downgrade'; plan: string; billing: Billing };

export function PlanChangeDialog({
  move,
  target,
  billing,
  onClose,
  onDone,
}: {
  move: 'upgrade' | 'downgrade';
  target: Plan;
  billing: Billing;
  onClose: () => void;
  onDone: (d: PlanChangeDone) => void;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [key] = useState(newIdempotencyKey);
  const sent = useRef(false);
  const [checking, setChecking] = useState(false);
  const [changed, setChanged] = useState(false);
  const quote = useQuote({ action: move, plan: target.name }, true);
  const upgrade = useUpgrade();
  const downgrade = useDowngrade();
  const mutation = move === 'upgrade' ? upgrade : downgrade;

  const from = t(`plans.${billing.plan}`, { defaultValue: billing.plan });
  const to = t(`plans.${target.name}`, { defaultValue: target.name });
  const amount = quote.data ? formatUsd(centsToUsd(quote.data.amount_cents), lng) : '';
  const refusalError = [quote.error, mutation.error].find(
    (e) => isApiError(e) && e.status === 409 && refusalOf(e.details),
  );
  const refusal = isApiError(refusalError) ? refusalOf(refusalError.details) : null;

  const confirm = async () => {
    if (!quote.data) return;
    const shown = quote.data.amount_cents;
    if (move === 'upgrade') {
      // a prorated amount falls a cent every few minutes: before the first try the
      // quote is asked again, and a changed amount is shown to confirm, not charged
      if (!sent.current) {
        setChecking(true);
        const fresh = await quote.refetch();
        setChecking(false);
        if (!fresh.data) return;
        if (fresh.data.amount_cents !== shown) {
          setChanged(true);
          return;
        }
      }
      sent.current = true;
      setChanged(false);
      upgrade.mutate(
        { plan: target.name, key },
        {
          onSuccess: (charged) => onDone({ move, plan: target.name, charged, quotedCents: shown }),
        },
      );
    } else
      downgrade.mutate(
        { plan: target.name, key },
        { onSuccess: (r) => onDone({ move, plan: target.name, billing: r.billing }) },
      );
  };

  const diffCents =
    moneyToCentsOrZero(target.price_month) - Math.max(0, billing.price_month_cents ?? 0);

  return (
    <ConfirmDialog
      open
      onClose={onClose}
      testId="plan-change-dialog"
      title={t(
        move === 'upgrade' ? 'billing.change.upgradeTitle' : 'billing.change.downgradeTitle',
        {
          from,
          to,
        },
      )}
      danger={false}
      cancelLabel={t('billing.change.cancel')}
      confirmLabel={
        move === 'upgrade'
          ? quote.data
            ? t('billing.change.payAndUpgrade', { amount })
            : t('billing.change.upgrade')
          : t('billing.change.schedule')
      }
      onConfirm={() => void confirm()}
      busy={mutation.isPending || checking}
      confirmDisabled={!quote.data || !!refusal}
      error={
        refusal ? (
          <DowngradeRefusal refusal={refusal} extra={billing.allowance.personas.extra ?? 0} />
        ) : mutation.isError ? (
          <ActionError
            error={mutation.error}
            onRetry={() => void confirm()}
            testId="plan-change-error"
          />
        ) : null
      }
    >
      {quote.isPending ? (
        <Stack gap="10px" aria-busy="true" aria-label={t('common.loading')}>
          <Skeleton h="20px" w="70%" />
          <Skeleton h="44px" w="40%" />
          <Skeleton h="16px" />
        </Stack>
      ) : quote.isError && !refusal ? (
        <ActionError error={quote.error} onRetry={() => void quote.refetch()} />
      ) : quote.data && !refusal ? (
        <Stack gap="12px" aria-live="polite">
          {move === 'upgrade' ? (
            <>
              <Text>{t('billing.change.upgradeLead', { from, to })}</Text>
              <Box bg="gray.50" borderRadius="12px" p="14px">
                <Text fontSize="xs" color="fg.muted" fontWeight="bold" textTransform="uppercase">
                  {t('billing.change.chargedNow')}
                </Text>
                <Text fontSize="2xl" fontWeight="bold" color="gray.700" data-testid="quote-amount">
                  {amount}
                </Text>
                <Text fontSize="sm" color="fg.muted">
                  {quote.data.ms_left !== undefined && quote.data.period_ms !== undefined
                    ? t('billing.change.proratedSpan', {
                        diff: formatUsd(centsToUsd(Math.max(0, diffCents)), lng),
                        left: spanText(quote.data.ms_left, t),
                        period: t('billing.invoices.days', {
                          count: Math.round(quote.data.period_ms / 86_400_000),
                        }),
                        end: formatDate(quote.data.period_end, lng),
                      })
                    : t('billing.change.prorated', {
                        diff: formatUsd(centsToUsd(Math.max(0, diffCents)), lng),
                        end: formatDate(quote.data.period_end, lng),
                      })}
                </Text>
              </Box>
              {changed ? (
                <Text color="orange.700" fontWeight="bold" role="alert" data-testid="quote-changed">
                  {t('billing.change.amountChanged', { amount })}
                </Text>
              ) : null}
              <Text>{t('billing.change.upgradeAfter', { to })}</Text>
            </>
          ) : (
            <>
              <Box bg="gray.50" borderRadius="12px" p="14px">
                <Text fontSize="xs" color="fg.muted" fontWeight="bold" textTransform="uppercase">
                  {t('billing.change.chargedNow')}
                </Text>
                <Text fontSize="2xl" fontWeight="bold" color="gray.700" data-testid="quote-amount">
                  {amount}
                </Text>
              </Box>
              <Text>
                {t('billing.change.downgradeLead', {
                  from,
                  to,
                  date: formatDate(quote.data.effective_at, lng),
                })}
              </Text>
              {billing.scheduled_change ? (
                <Text color="fg.muted">
                  {t('billing.change.replaces', {
                    plan: t(`plans.${billing.scheduled_change.plan}`, {
                      defaultValue: billing.scheduled_change.plan,
                    }),
                  })}
                </Text>
              ) : null}
            </>
          )}
          <Text fontSize="xs" color="fg.muted">
            {t('billing.change.quoteNote')}
          </Text>
        </Stack>
      ) : null}
    </ConfirmDialog>
  );
}
