/*
 * Extra personas: a quantity (validated as the API does), its price as it is
 * typed, then a confirmation with the server's quote before the charge. The
 * quantity stays in the field when the purchase fails.
 */
import { Box, Button, Field, Flex, Input, Skeleton, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  newIdempotencyKey,
  useBuyExtraPersonas,
  useQuote,
  type Billing,
  type Charged,
} from '../../api/billing';
import { ActionError } from '../../components/ActionError';
import { Card, CardHeader } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatNumber, formatUsd } from '../../lib/format';
import { centsToUsd, checkQuantity, personaLimitAfter, QUANTITY_MAX } from './logic';

function BuyDialog({
  quantity,
  billing,
  onClose,
  onDone,
}: {
  quantity: number;
  billing: Billing;
  onClose: () => void;
  onDone: (c: Charged, quotedCents: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [key] = useState(newIdempotencyKey);
  const quote = useQuote({ action: 'extra_personas', quantity }, true);
  const buy = useBuyExtraPersonas();
  const amount = quote.data ? formatUsd(centsToUsd(quote.data.amount_cents), lng) : '';
  const after = personaLimitAfter(billing, quantity);
  const confirm = () => {
    if (!quote.data) return;
    const quoted = quote.data.amount_cents;
    buy.mutate({ quantity, key }, { onSuccess: (c) => onDone(c, quoted) });
  };
  return (
    <ConfirmDialog
      open
      onClose={onClose}
      testId="extra-personas-dialog"
      title={t('billing.extra.confirmTitle', {
        count: quantity,
        quantity: formatNumber(quantity, lng),
      })}
      danger={false}
      cancelLabel={t('billing.change.cancel')}
      confirmLabel={quote.data ? t('billing.extra.pay', { amount }) : t('billing.extra.buy')}
      onConfirm={confirm}
      busy={buy.isPending}
      confirmDisabled={!quote.data}
      error={
        buy.isError ? (
          <ActionError error={buy.error} onRetry={confirm} testId="extra-personas-error" />
        ) : null
      }
    >
      {quote.isPending ? (
        <Stack gap="10px" aria-busy="true" aria-label={t('common.loading')}>
          <Skeleton h="44px" w="40%" />
          <Skeleton h="16px" />
        </Stack>
      ) : quote.isError ? (
        <ActionError error={quote.error} onRetry={() => void quote.refetch()} />
      ) : (
        <Stack gap="12px" aria-live="polite">
          <Box bg="gray.50" borderRadius="12px" p="14px">
            <Text fontSize="xs" color="fg.muted" fontWeight="bold" textTransform="uppercase">
              {t('billing.change.chargedNow')}
            </Text>
            <Text fontSize="2xl" fontWeight="bold" color="gray.700" data-testid="quote-amount">
              {amount}
            </Text>
            <Text fontSize="sm" color="fg.muted">
              {t('billing.extra.unitLine', {
                count: quantity,
                quantity: formatNumber(quantity, lng),
                unit: formatUsd(centsToUsd(billing.extra_persona_cents ?? 0), lng),
              })}
            </Text>
          </Box>
          {after !== null ? (
            <Text>{t('billing.extra.after', { limit: formatNumber(after, lng) })}</Text>
          ) : null}
          <Text color="fg.muted">{t('billing.extra.permanent')}</Text>
        </Stack>
      )}
    </ConfirmDialog>
  );
}

export function ExtraPersonasCard({
  billing,
  canManage,
  onDone,
  onSeePlans,
}: {
  billing: Billing;
  canManage: boolean;
  onDone: (c: Charged, quotedCents: number) => void;
  onSeePlans: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [raw, setRaw] = useState('10');
  const [touched, setTouched] = useState(false);
  const [confirming, setConfirming] = useState<number | null>(null);
  const check = checkQuantity(raw);
  const unit = billing.extra_persona_cents;
  const sold = unit !== null && billing.allowance.personas.limit !== null;
  const bought = billing.allowance.personas.extra ?? 0;

  return (
    <Card data-testid="extra-personas-card">
      <CardHeader
        title={t('billing.extra.title')}
        subtitle={
          sold
            ? t('billing.extra.subtitle', {
                unit: formatUsd(centsToUsd(unit ?? 0), lng),
                plan: t(`plans.${billing.plan}`, { defaultValue: billing.plan }),
              })
            : undefined
        }
      />
      {bought > 0 ? (
        <Text fontSize="sm" color="gray.700" mb="12px">
          {t('billing.extra.bought', { count: bought, n: formatNumber(bought, lng) })}
        </Text>
      ) : null}
      {unit === null ? (
        <Box
          borderLeft="4px solid"
          borderColor="orange.400"
          bg="orange.50"
          borderRadius="12px"
          px="16px"
          py="14px"
          data-testid="extra-not-sold"
        >
          <Text fontWeight="bold" color="gray.700">
            {t('billing.extra.notSoldTitle', {
              plan: t(`plans.${billing.plan}`, { defaultValue: billing.plan }),
            })}
          </Text>
          <Text fontSize="sm" color="gray.700" mt="2px">
            {t('billing.extra.notSoldText')}
          </Text>
          {canManage ? (
            <Button
              size="sm"
              colorPalette="teal"
              mt="10px"
              borderRadius="12px"
              onClick={onSeePlans}
            >
              {t('billing.extra.seePlans')}
            </Button>
          ) : null}
        </Box>
      ) : !sold ? (
        <Text fontSize="sm" color="fg.muted">
          {t('billing.extra.unlimited')}
        </Text>
      ) : !canManage ? (
        <Text fontSize="sm" color="fg.muted">
          {t('billing.extra.adminsOnly')}
        </Text>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (check.ok) setConfirming(check.quantity);
          }}
        >
          <Flex gap="12px" align="flex-end" wrap="wrap">
            <Field.Root invalid={touched && !check.ok} maxW="220px" required>
              <Field.Label fontSize="sm" color="gray.700">
                {t('billing.extra.quantity')}
              </Field.Label>
              <Input
                name="quantity"
                data-testid="extra-quantity"
                type="number"
                inputMode="numeric"
                min={1}
                max={QUANTITY_MAX}
                step={1}
                value={raw}
                onChange={(e) => setRaw(e.target.value)}
                onBlur={() => setTouched(true)}
                borderRadius="12px"
                bg="white"
              />
            </Field.Root>
            <Button
              type="submit"
              colorPalette="teal"
              borderRadius="12px"
              data-testid="extra-review"
            >
              {t('billing.extra.review')}
            </Button>
          </Flex>
          {touched && !check.ok ? (
            <Text color="red.600" fontSize="sm" mt="6px" role="alert" data-testid="extra-error">
              {t(`billing.extra.invalid.${check.error}`, { max: formatNumber(QUANTITY_MAX, lng) })}
            </Text>
          ) : check.ok ? (
            <Text
              fontSize="sm"
              color="gray.700"
              mt="6px"
              aria-live="polite"
              data-testid="extra-price"
            >
              {t('billing.extra.price', {
                count: check.quantity,
                quantity: formatNumber(check.quantity, lng),
                amount: formatUsd(centsToUsd(check.quantity * (unit ?? 0)), lng),
              })}
            </Text>
          ) : null}
        </form>
      )}
      {confirming !== null ? (
        <BuyDialog
          quantity={confirming}
          billing={billing}
          onClose={() => setConfirming(null)}
          onDone={(c, q) => {
            setConfirming(null);
            onDone(c, q);
          }}
        />
      ) : null}
    </Card>
  );
}
