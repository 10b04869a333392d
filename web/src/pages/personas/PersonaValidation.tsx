/*
 * The validator: a strict interviewer (the model) questions the persona
 * and scores from 0 to 1 how well its answers fit its profile (or the
 * expectations given), with the reasons. The last verdict is kept on the
 * persona; a run here shows the interview and what it cost.
 */
import {
  Badge,
  Box,
  Button,
  Collapsible,
  Field,
  Flex,
  Input,
  Progress,
  Stack,
  Text,
  Textarea,
} from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useValidatePersona, type PersonaDetail, type ValidationResult } from '../../api/personas';
import { useLlmStatus } from '../../api/usage';
import { ActionError } from '../../components/ActionError';
import { OfflineModelBadge } from '../../components/Badges';
import { Card, CardHeader } from '../../components/Card';
import { formatDateTime, formatNumber, formatUsd } from '../../lib/format';
import { fromOfflineModel } from './chatThread';
import {
  BAND_PALETTE,
  EXPECTATIONS_MAX,
  ROUNDS_DEFAULT,
  ROUNDS_MAX,
  ROUNDS_MIN,
  fitBand,
  scorePercent,
  validateOptions,
} from './validation';
import { ShieldIcon } from '../../components/Icons';

function Verdict({ score, reasons, at }: { score: number; reasons: string; at: string }) {
  const { t, i18n } = useTranslation();
  const band = fitBand(score);
  const pct = scorePercent(score);
  return (
    <Stack gap="10px" data-testid="validation-verdict">
      <Flex align="baseline" gap="10px" wrap="wrap">
        <Text fontSize="3xl" fontWeight="bold" color="gray.700" lineHeight="1">
          {t('personaDetail.validation.percent', { value: pct })}
        </Text>
        <Badge
          colorPalette={BAND_PALETTE[band]}
          variant="subtle"
          borderRadius="badge"
          textTransform="none"
        >
          {t(`personaDetail.validation.band.${band}`)}
        </Badge>
      </Flex>
      <Progress.Root
        value={pct}
        max={100}
        size="sm"
        colorPalette={BAND_PALETTE[band]}
        aria-label={t('personaDetail.validation.scoreLabel')}
      >
        <Progress.Track borderRadius="full">
          <Progress.Range />
        </Progress.Track>
      </Progress.Root>
      <Text fontSize="xs" color="fg.muted">
        {t('personaDetail.validation.validatedAt', { date: formatDateTime(at, i18n.language) })}
      </Text>
      {reasons ? (
        <Box>
          <Text fontSize="xs" fontWeight="bold" color="fg.muted" textTransform="uppercase" mb="4px">
            {t('personaDetail.validation.reasons')}
          </Text>
          <Text
            fontSize="sm"
            color="gray.700"
            whiteSpace="pre-wrap"
            data-testid="validation-reasons"
          >
            {reasons}
          </Text>
        </Box>
      ) : null}
    </Stack>
  );
}

function RunDetails({ result, personaName }: { result: ValidationResult; personaName: string }) {
  const { t, i18n } = useTranslation();
  const llm = useLlmStatus();
  const [open, setOpen] = useState(false);
  return (
    <Stack gap="8px" borderTopWidth="1px" borderColor="gray.100" pt="12px">
      <Flex gap="6px" wrap="wrap" align="center" fontSize="xs" color="fg.muted">
        <Text>
          {t('personaDetail.validation.runMeta', { rounds: result.rounds, model: result.model })}
        </Text>
        {fromOfflineModel(result.model, llm.data) ? <OfflineModelBadge size="xs" /> : null}
        {result.usage ? (
          <Text data-testid="validation-usage">
            ·{' '}
            {t('personaDetail.chat.usage', {
              tokensIn: formatNumber(result.usage.tokens_in, i18n.language),
              tokensOut: formatNumber(result.usage.tokens_out, i18n.language),
              cost: formatUsd(result.usage.cost_usd, i18n.language),
            })}
          </Text>
        ) : null}
      </Flex>
      {result.interview.length ? (
        <Collapsible.Root open={open} onOpenChange={(e) => setOpen(e.open)}>
          <Collapsible.Trigger asChild>
            <Button size="xs" variant="ghost" color="teal.700" alignSelf="flex-start" px="4px">
              {open
                ? t('personaDetail.validation.hideInterview')
                : t('personaDetail.validation.showInterview', { count: result.interview.length })}
            </Button>
          </Collapsible.Trigger>
          <Collapsible.Content>
            <Stack as="ol" listStyleType="none" m={0} p={0} gap="8px" mt="6px">
              {result.interview.map((line, i) => {
                const interviewer =
                  line.speaker === 'Interviewer' || (line.speaker !== personaName && i % 2 === 0);
                return (
                  <Box
                    as="li"
                    key={i}
                    bg={interviewer ? 'gray.50' : 'teal.50'}
                    borderRadius="10px"
                    px="10px"
                    py="8px"
                  >
                    <Text fontSize="xs" fontWeight="bold" color="gray.700">
                      {interviewer ? t('personaDetail.validation.interviewer') : line.speaker}
                    </Text>
                    <Text fontSize="sm" color="gray.700" whiteSpace="pre-wrap">
                      {line.text}
                    </Text>
                  </Box>
                );
              })}
            </Stack>
          </Collapsible.Content>
        </Collapsible.Root>
      ) : null}
    </Stack>
  );
}

export function PersonaValidation({ persona }: { persona: PersonaDetail }) {
  const { t, i18n } = useTranslation();
  const validate = useValidatePersona(persona.id);
  const [expectations, setExpectations] = useState('');
  const [rounds, setRounds] = useState(String(ROUNDS_DEFAULT));
  const [showOptions, setShowOptions] = useState(false);
  const [result, setResult] = useState<ValidationResult | null>(null);
  const [touched, setTouched] = useState(false);
  const errors = validateOptions(expectations, rounds);
  const v = result ?? persona.validation;

  const run = () => {
    setTouched(true);
    if (Object.keys(errors).length) {
      setShowOptions(true);
      return;
    }
    const body: { expectations?: string; rounds?: number } = {};
    if (expectations.trim()) body.expectations = expectations.trim();
    if (rounds.trim()) body.rounds = Number(rounds);
    validate.mutate(body, { onSuccess: (r) => setResult(r) });
  };

  return (
    <Card data-testid="validation-card">
      <CardHeader
        title={t('personaDetail.validation.title')}
        subtitle={t('personaDetail.validation.subtitle')}
      />
      <Stack gap="14px">
        {validate.isPending ? (
          <Stack gap="8px" role="status" aria-live="polite" data-testid="validation-running">
            <Text fontSize="sm" color="gray.700">
              {t('personaDetail.validation.running', { name: persona.name })}
            </Text>
            <Progress.Root value={null} size="xs" colorPalette="teal">
              <Progress.Track borderRadius="full">
                <Progress.Range />
              </Progress.Track>
            </Progress.Root>
          </Stack>
        ) : v ? (
          <Verdict score={v.score} reasons={v.reasons} at={v.validated_at} />
        ) : (
          <Flex gap="12px" align="center">
            <Box color="teal.400">
              <ShieldIcon boxSize="28px" />
            </Box>
            <Text fontSize="sm" color="fg.muted">
              {t('personaDetail.validation.none')}
            </Text>
          </Flex>
        )}
        {result && !validate.isPending ? (
          <RunDetails result={result} personaName={persona.name} />
        ) : null}

        {validate.isError ? (
          <ActionError error={validate.error} onRetry={run} testId="validation-error" />
        ) : null}

        <Collapsible.Root open={showOptions} onOpenChange={(e) => setShowOptions(e.open)}>
          <Collapsible.Trigger asChild>
            <Button size="xs" variant="ghost" color="teal.700" px="4px">
              {showOptions
                ? t('personaDetail.validation.hideOptions')
                : t('personaDetail.validation.showOptions')}
            </Button>
          </Collapsible.Trigger>
          <Collapsible.Content>
            <Stack gap="12px" mt="8px">
              <Field.Root invalid={touched && !!errors.expectations}>
                <Field.Label fontSize="sm" color="gray.700">
                  {t('personaDetail.validation.expectations')}
                  <Field.RequiredIndicator
                    fallback={t('common.optional')}
                    color="fg.muted"
                    fontSize="xs"
                  />
                </Field.Label>
                <Textarea
                  value={expectations}
                  onChange={(e) => setExpectations(e.target.value)}
                  placeholder={t('personaDetail.validation.expectationsPlaceholder')}
                  rows={3}
                  borderRadius="12px"
                  fontSize="sm"
                />
                {touched && errors.expectations ? (
                  <Field.ErrorText>
                    {t(`personaDetail.validation.${errors.expectations}`, {
                      max: formatNumber(EXPECTATIONS_MAX, i18n.language),
                    })}
                  </Field.ErrorText>
                ) : (
                  <Field.HelperText color="fg.muted">
                    {t('personaDetail.validation.expectationsHelp')}
                  </Field.HelperText>
                )}
              </Field.Root>
              <Field.Root invalid={touched && !!errors.rounds} maxW="200px">
                <Field.Label fontSize="sm" color="gray.700">
                  {t('personaDetail.validation.rounds')}
                </Field.Label>
                <Input
                  type="number"
                  inputMode="numeric"
                  min={ROUNDS_MIN}
                  max={ROUNDS_MAX}
                  value={rounds}
                  onChange={(e) => setRounds(e.target.value)}
                  borderRadius="12px"
                  fontSize="sm"
                />
                {touched && errors.rounds ? (
                  <Field.ErrorText>
                    {t('personaDetail.validation.roundsRange', {
                      min: ROUNDS_MIN,
                      max: ROUNDS_MAX,
                    })}
                  </Field.ErrorText>
                ) : (
                  <Field.HelperText color="fg.muted">
                    {t('personaDetail.validation.roundsHelp', { min: ROUNDS_MIN, max: ROUNDS_MAX })}
                  </Field.HelperText>
                )}
              </Field.Root>
            </Stack>
          </Collapsible.Content>
        </Collapsible.Root>

        <Button
          colorPalette="teal"
          borderRadius="12px"
          onClick={run}
          loading={validate.isPending}
          loadingText={t('personaDetail.validation.runningShort')}
          data-testid="validate-persona"
        >
          <ShieldIcon boxSize="16px" />
          {v ? t('personaDetail.validation.again') : t('personaDetail.validation.run')}
        </Button>
        <Text fontSize="xs" color="fg.muted">
          {t('personaDetail.validation.editNote')}
        </Text>
      </Stack>
    </Card>
  );
}
