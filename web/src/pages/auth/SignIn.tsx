import { Alert, Box, Heading, Stack, Text } from '@chakra-ui/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { useLogin } from '../../api/auth';
import { isApiError } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import type { SignInState } from '../../auth/useToken';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { FormField, PasswordField } from '../../components/FormField';
import { AuthSubmit, AuthSwitch } from './AuthParts';

export default function SignIn() {
  const { t } = useTranslation();
  const location = useLocation();
  const state = (location.state ?? {}) as SignInState;
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});

  const send = () => login.mutate({ email: email.trim(), password });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m: Record<string, string> = {};
    if (!email.trim()) m.email = t('errors.email.required');
    if (!password) m.password = t('errors.password.required');
    setMissing(m);
    if (Object.keys(m).length === 0) send();
  };

  const apiFieldErrors = fieldErrors(login.error, t, ['email', 'password']);
  const errs = { ...apiFieldErrors, ...missing };
  const generalError =
    login.isError && Object.keys(apiFieldErrors).length === 0 ? login.error : null;

  return (
    <Card p={{ base: '20px', md: '32px' }} boxShadow="floating">
      <Heading as="h1" fontSize="2xl" color="teal.700" mb="4px">
        {t('auth.signIn.title')}
      </Heading>
      <Text color="fg.muted" mb="20px" fontSize="sm">
        {t('auth.signIn.subtitle')}
      </Text>
      {state.expired ? (
        <Alert.Root status="info" borderRadius="card" mb="16px">
          <Alert.Indicator />
          <Alert.Title>{t('auth.signIn.expired')}</Alert.Title>
        </Alert.Root>
      ) : state.signedOut ? (
        <Alert.Root status="success" borderRadius="card" mb="16px">
          <Alert.Indicator />
          <Alert.Title>{t('auth.signIn.signedOut')}</Alert.Title>
        </Alert.Root>
      ) : null}
      {generalError ? (
        <Box mb="16px">
          {isApiError(generalError) && generalError.code === 'unauthorized' ? (
            <Alert.Root status="error" borderRadius="card" role="alert">
              <Alert.Indicator />
              <Alert.Content>
                <Alert.Title>{t('errors.login.invalid')}</Alert.Title>
                <Alert.Description>{t('errors.login.invalidHint')}</Alert.Description>
              </Alert.Content>
            </Alert.Root>
          ) : (
            <ErrorState error={generalError} onRetry={send} compact />
          )}
        </Box>
      ) : null}
      <form onSubmit={submit} noValidate aria-label={t('auth.signIn.title')}>
        <Stack gap="16px">
          <FormField
            label={t('auth.email')}
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errs.email}
            required
            placeholder={t('auth.emailPlaceholder')}
          />
          <PasswordField
            label={t('auth.password')}
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errs.password}
            required
          />
          <AuthSubmit
            busy={login.isPending}
            label={t('auth.signIn.submit')}
            busyLabel={t('auth.signIn.submitting')}
          />
        </Stack>
      </form>
      <AuthSwitch text={t('auth.signIn.noAccount')} to="/sign-up" link={t('auth.signUp.link')} />
    </Card>
  );
}
