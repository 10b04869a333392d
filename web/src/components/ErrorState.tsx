/*
 * Every failure says what happened and offers a way forward: try again
 * (network, 5xx, rate limits), upgrade (plan limits and features), go back
 * (not found, refused), or sign in again.
 */
import { Alert, Box, Button, Flex, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isApiError } from '../api/client';
import { errorActions, errorTitleKey, translateKnownMessage } from '../api/errors';

export function ErrorState({
  error,
  onRetry,
  compact = false,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  compact?: boolean;
  title?: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const actions = errorActions(error);
  const known = isApiError(error) ? translateKnownMessage(error, t) : null;
  const detail = isApiError(error) ? error.message : error instanceof Error ? error.message : '';
  const requestId = isApiError(error) ? error.requestId : undefined;
  const retryAfter = isApiError(error) ? error.retryAfter : undefined;
  const status = isApiError(error) && error.code === 'plan_limit' ? 'warning' : 'error';

  return (
    <Alert.Root status={status} borderRadius="card" alignItems="flex-start" role="alert">
      <Alert.Indicator />
      <Alert.Content gap="4px">
        <Alert.Title fontWeight="bold">{title ?? t(errorTitleKey(error))}</Alert.Title>
        <Alert.Description>
          <Text>{known ?? t(`${errorTitleKey(error)}Hint`, { seconds: retryAfter ?? 30 })}</Text>
          {!compact && detail && !known ? (
            <Text fontSize="sm" color="fg.muted" mt="2px">
              {t('errors.detail', { detail })}
              {requestId ? ` · ${t('errors.requestId', { id: requestId })}` : ''}
            </Text>
          ) : null}
        </Alert.Description>
        <Flex gap="8px" mt="8px" wrap="wrap">
          {actions.includes('retry') && onRetry ? (
            <Button size="sm" colorPalette="teal" onClick={onRetry}>
              {t('actions.retry')}
            </Button>
          ) : null}
          {actions.includes('upgrade') ? (
            <Button size="sm" colorPalette="teal" onClick={() => navigate('/billing')}>
              {t('actions.upgrade')}
            </Button>
          ) : null}
          {actions.includes('back') ? (
            <Button size="sm" variant="outline" onClick={() => navigate(-1)}>
              {t('actions.goBack')}
            </Button>
          ) : null}
          {actions.includes('signin') ? (
            <Button size="sm" variant="outline" onClick={() => navigate('/sign-in')}>
              {t('actions.signIn')}
            </Button>
          ) : null}
        </Flex>
      </Alert.Content>
      <Box />
    </Alert.Root>
  );
}
