import { Alert, Box, Button, Stack, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { formatNumber } from '../../lib/format';
import type { Refusal } from './logic';

const WHERE: Record<string, string> = {
  personas: '/personas',
  projects: '/projects',
  members: '/team',
};

/** A downgrade the workspace does not fit: the API's figures in words, and what to do about each. */
export function DowngradeRefusal({ refusal, extra }: { refusal: Refusal; extra: number }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const plan = t(`plans.${refusal.plan}`, { defaultValue: refusal.plan });
  return (
    <Alert.Root status="warning" borderRadius="12px" alignItems="flex-start" role="alert">
      <Alert.Indicator />
      <Alert.Content gap="6px" data-testid="downgrade-refusal">
        <Alert.Title fontWeight="bold">{t('billing.refusal.title', { plan })}</Alert.Title>
        <Alert.Description>
          <Stack as="ul" gap="8px" listStyleType="none" m={0} p={0}>
            {refusal.excess.map((x) => (
              <Box as="li" key={x.kind}>
                <Text>
                  {t(`billing.refusal.${x.kind}`, {
                    used: formatNumber(x.used, lng),
                    limit: formatNumber(x.limit, lng),
                    plan,
                    count: x.over,
                    over: formatNumber(x.over, lng),
                  })}
                  {x.kind === 'personas' && extra > 0
                    ? ` ${t('billing.refusal.withExtra', { count: extra, extra: formatNumber(extra, lng) })}`
                    : ''}
                </Text>
                <Button asChild size="xs" variant="outline" mt="4px" borderRadius="10px">
                  <RouterLink to={WHERE[x.kind] ?? '/dashboard'}>
                    {t(`billing.refusal.go.${x.kind}`)}
                  </RouterLink>
                </Button>
              </Box>
            ))}
          </Stack>
          <Text mt="8px">{t('billing.refusal.then')}</Text>
        </Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}
