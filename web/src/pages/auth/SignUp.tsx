import { Box, Heading, Stack, Text } from '@chakra-ui/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useRegister } from '../../api/auth';
import { fieldErrors } from '../../api/errors';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { FormField, PasswordField } from '../../components/FormField';
import { AuthSubmit, AuthSwitch } from './AuthParts';

const FIELDS = ['email', 'password', 'company'];

export default function SignUp() {
  const { t } = useTranslation();
  const register = useRegister();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [company, setCompany] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});

  const send = () =>
    register.mutate({
      email: email.trim(),
      password,
      ...(company.trim() ? { company: company.trim() } : {}),
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m: Record<string, string> = {};
    if (!email.trim()) m.email = t('errors.email.required');
    if (!password) m.password = t('errors.password.required');
    setMissing(m);
    if (Object.keys(m).length === 0) send();
  };

  const apiFieldErrors = fieldErrors(register.error, t, FIELDS);
  const errs = { ...apiFieldErrors, ...missing };
  const generalError = register.isError && Object.keys(apiFieldErrors).length === 0;

  return (
    <Card p={{ base: '20px', md: '32px' }} boxShadow="floating">
      <Heading as="h1" fontSize="2xl" color="teal.700" mb="4px">
        {t('auth.signUp.title')}
      </Heading>
      <Text color="fg.muted" mb="20px" fontSize="sm">
        {t('auth.signUp.subtitle')}
      </Text>
      {generalError ? (
        <Box mb="16px">
          <ErrorState error={register.error} onRetry={send} compact />
        </Box>
      ) : null}
      <form onSubmit={submit} noValidate aria-label={t('auth.signUp.title')}>
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
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errs.password}
            helper={t('auth.passwordPolicy')}
            required
          />
          <FormField
            label={t('auth.company')}
            name="company"
            autoComplete="organization"
            value={company}
            onChange={(e) => setCompany(e.target.value)}
            error={errs.company}
            optionalText={t('common.optional')}
          />
          <AuthSubmit
            busy={register.isPending}
            label={t('auth.signUp.submit')}
            busyLabel={t('auth.signUp.submitting')}
          />
        </Stack>
      </form>
      <AuthSwitch text={t('auth.signUp.haveAccount')} to="/sign-in" link={t('auth.signIn.link')} />
    </Card>
  );
}
