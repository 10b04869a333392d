/*
 * The failure of an action (a save, an invite, a revoke) next to where it
 * was asked: the headline of its code, the caller's own words for the
 * API's message when it knows them (else the shared translation, else the
 * code's hint), and the ways forward - try again, upgrade, or dismiss.
 */
import { Alert, Button, Flex, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { isApiError } from '../api/client';
import { errorActions, errorTitleKey, translateKnownMessage } from '../api/errors';

export function ActionError({
  error,
  message,
  onRetry,
  extra,
  onDismiss,
  dismissLabel,
  testId,
}: {
  error: unknown;
  /** the page's own words for this failure, when it has some */
  message?: string | null | undefined;
  onRetry?: (() => void) | undefined;
  /** more ways forward of the caller's (start a new conversation...), before the dismiss */
  extra?: ReactNode;
  onDismiss?: (() => void) | undefined;
  dismissLabel?: string | undefined;
  testId?: string | undefined;
}) {
  const { t } = useTranslation();
  const actions = errorActions(error);
  const known = message ?? (isApiError(error) ? translateKnownMessage(error, t) : null);
  const retryAfter = isApiError(error) ? error.retryAfter : undefined;
  const retryable = isApiError(error) ? error.retryable : true;
  const requestId = isApiError(error) ? error.requestId : undefined;
  const detail = isApiError(error) && !known ? error.message : '';
  // a refusal for the role (only admins may) is not something an upgrade buys
  const upgrade = actions.includes('upgrade') && !(isApiError(error) && error.field === 'role');
  const warn = isApiError(error) && (error.code === 'plan_limit' || error.code === 'conflict');
  return (
    <Alert.Root
      status={warn ? 'warning' : 'error'}
      borderRadius="12px"
      alignItems="flex-start"
      role="alert"
      data-testid={testId}
    >
      <Alert.Indicator />
      <Alert.Content gap="2px">
        <Alert.Title fontWeight="bold">{t(errorTitleKey(error))}</Alert.Title>
        <Alert.Description>
          <Text>{known ?? t(`${errorTitleKey(error)}Hint`, { seconds: retryAfter ?? 30 })}</Text>
          {detail ? (
            <Text fontSize="sm" color="fg.muted" mt="2px">
              {t('errors.detail', { detail })}
              {requestId ? ` · ${t('errors.requestId', { id: requestId })}` : ''}
            </Text>
          ) : null}
        </Alert.Description>
        <Flex gap="8px" mt="6px" wrap="wrap">
          {retryable && onRetry ? (
            <Button size="xs" colorPalette="teal" onClick={onRetry}>
              {t('actions.retry')}
            </Button>
          ) : null}
          {upgrade ? (
            <Button asChild size="xs" colorPalette="teal">
              <RouterLink to="/billing">{t('actions.upgrade')}</RouterLink>
            </Button>
          ) : null}
          {actions.includes('signin') ? (
            <Button asChild size="xs" variant="outline">
              <RouterLink to="/sign-in">{t('actions.signIn')}</RouterLink>
            </Button>
          ) : null}
          {extra}
          {onDismiss && dismissLabel ? (
            <Button size="xs" variant="ghost" onClick={onDismiss}>
              {dismissLabel}
            </Button>
          ) : null}
        </Flex>
      </Alert.Content>
    </Alert.Root>
  );
}
