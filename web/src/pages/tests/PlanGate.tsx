/*
 * A refused request about a test, said so that the user knows the way
 * forward: a plan gate (402, 403 naming a feature, 422 plan limit) is an
 * upgrade prompt linking to /billing; a run already going (409) says so;
 * anything else is the usual error with its retry.
 */
import { Alert, Button } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { isPlanGate } from './planGate';
import { ErrorState } from '../../components/ErrorState';

export function UpgradePrompt({ title, text }: { title: string; text: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Alert.Root
      status="warning"
      borderRadius="card"
      alignItems="center"
      data-testid="upgrade-prompt"
    >
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>{title}</Alert.Title>
        <Alert.Description>{text}</Alert.Description>
      </Alert.Content>
      <Button size="sm" colorPalette="teal" onClick={() => navigate('/billing')}>
        {t('actions.upgrade')}
      </Button>
    </Alert.Root>
  );
}

/** Why POST /api/tests/:id/run (or another action on a test) was refused, and what to do. */
export function ActionError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (isPlanGate(error))
    return (
      <UpgradePrompt
        title={t('testDetail.gate.title')}
        text={isApiError(error) ? t('testDetail.gate.text', { reason: error.message }) : ''}
      />
    );
  if (isApiError(error) && error.code === 'conflict')
    return (
      <Alert.Root status="info" borderRadius="card" role="alert">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>{t('testDetail.busy.title')}</Alert.Title>
          <Alert.Description>{t('testDetail.busy.text')}</Alert.Description>
        </Alert.Content>
      </Alert.Root>
    );
  return <ErrorState error={error} {...(onRetry ? { onRetry } : {})} compact />;
}
