import { Alert, Box, Button, Heading, Link, Stack, Text } from '@chakra-ui/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import { useLogout, useRegister } from '../../api/auth';
import { isApiError } from '../../api/client';
import { fieldErrorMessage, fieldErrors } from '../../api/errors';
import { useToken } from '../../auth/useToken';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { FormField, PasswordField } from '../../components/FormField';
import { AuthSubmit, AuthSwitch } from './AuthParts';

/** /invite/:token - joins the inviting workspace: POST /api/auth/register with invite_token. */
export default function AcceptInvite() {
  const { t } = useTranslation();
  const { token: inviteToken = '' } = useParams();
  const navigate = useNavigate();
  const session = useToken();
  const logout = useLogout();
  const register = useRegister();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});

  const send = () =>
    register.mutate(
      { email: email.trim(), password, invite_token: inviteToken },
      { onSuccess: () => navigate('/dashboard', { replace: true }) },
    );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m: Record<string, string> = {};
    if (!email.trim()) m.email = t('errors.email.required');
    if (!password) m.password = t('errors.password.required');
    setMissing(m);
    if (Object.keys(m).length === 0) send();
  };

  const err = register.error;
  const inviteBroken = isApiError(err) && err.field === 'invite_token';
  const apiFieldErrors = fieldErrors(err, t, ['email', 'password']);
  const errs = { ...apiFieldErrors, ...missing };
  const generalError =
    register.isError && !inviteBroken && Object.keys(apiFieldErrors).length === 0;

  if (session && !register.isPending && !register.isSuccess) {
    return (
      <Card p={{ base: '20px', md: '32px' }} boxShadow="floating">
        <Heading as="h1" fontSize="2xl" color="teal.700" mb="8px">
          {t('auth.invite.title')}
        </Heading>
        <Text color="fg.muted" mb="16px">
          {t('auth.invite.signedIn')}
        </Text>
        <Stack direction={{ base: 'column', sm: 'row' }} gap="8px">
          <Button colorPalette="teal" loading={logout.isPending} onClick={() => logout.mutate()}>
            {t('auth.invite.signOutFirst')}
          </Button>
          <Button variant="outline" onClick={() => navigate('/dashboard')}>
            {t('auth.invite.toDashboard')}
          </Button>
        </Stack>
      </Card>
    );
  }

  return (
    <Card p={{ base: '20px', md: '32px' }} boxShadow="floating">
      <Heading as="h1" fontSize="2xl" color="teal.700" mb="4px">
        {t('auth.invite.title')}
      </Heading>
      <Text color="fg.muted" mb="20px" fontSize="sm">
        {t('auth.invite.subtitle')}
      </Text>
      {inviteBroken && isApiError(err) ? (
        <Alert.Root status="error" borderRadius="card" mb="16px" role="alert">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>{fieldErrorMessage(err, t)}</Alert.Title>
            <Alert.Description>
              {t('auth.invite.askAgain')}{' '}
              <Link asChild color="teal.700" fontWeight="bold">
                <RouterLink to="/sign-up">{t('auth.invite.ownWorkspace')}</RouterLink>
              </Link>
            </Alert.Description>
          </Alert.Content>
        </Alert.Root>
      ) : null}
      {generalError ? (
        <Box mb="16px">
          <ErrorState error={err} onRetry={send} compact />
        </Box>
      ) : null}
      <form onSubmit={submit} noValidate aria-label={t('auth.invite.title')}>
        <Stack gap="16px">
          <FormField
            label={t('auth.email')}
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errs.email}
            helper={t('auth.invite.emailHelper')}
            required
          />
          <PasswordField
            label={t('auth.password')}
            name="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errs.password}
            helper={t('auth.passwordPolicy')}
            required
          />
          <AuthSubmit
            busy={register.isPending}
            label={t('auth.invite.submit')}
            busyLabel={t('auth.invite.submitting')}
          />
        </Stack>
      </form>
      <AuthSwitch text={t('auth.signUp.haveAccount')} to="/sign-in" link={t('auth.signIn.link')} />
    </Card>
  );
}
