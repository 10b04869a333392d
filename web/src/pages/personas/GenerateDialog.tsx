/*
 * "Generate a panel": the panel's targets (how many, ages, countries,
 * gender, income, setting, life stage, occupations, anything else), the
 * sampling plan they make - shown before anything is generated - then
 * POST /api/personas/generate, and the personas it made with the plan the
 * model used and what came of it. Plan gates and the persona cap are an
 * upgrade prompt; the targets are kept when a request fails.
 */
import {
  Box,
  Button,
  Checkbox,
  Collapsible,
  Dialog,
  Field,
  Flex,
  Grid,
  Heading,
  Input,
  NativeSelect,
  Portal,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Wrap,
} from '@chakra-ui/react';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMe } from '../../api/auth';
import { useGeneratePersonas, useGeneratedPersonas, type GenerateResult } from '../../api/personas';
import { useUsage } from '../../api/usage';
import { OfflineModelBadge } from '../../components/Badges';
import { ErrorState } from '../../components/ErrorState';
import { CardGridSkeleton } from '../../components/Skeletons';
import { formatNumber, formatUsd } from '../../lib/format';
import { PersonaCard } from './PersonaCard';
import { InlineError, UpgradeNotice } from './parts';
import { PlannedVsMade, SamplingPlanView } from './SamplingPlanView';
import {
  COUNT_MAX,
  FACTORY_COUNTRIES,
  GENDER_TARGETS,
  INCOME_TARGETS,
  LIFE_TARGETS,
  SETTING_TARGETS,
  TARGET_AGE_MAX,
  TARGET_AGE_MIN,
  computePlan,
  defaultTargets,
  validateTargets,
  type GenLanguage,
  type PanelTargets,
  type SamplingPlan,
  type TargetError,
} from './samplingPlan';

const inputStyle = { borderRadius: '12px', bg: 'white', fontSize: 'sm' } as const;

function TargetField({
  label,
  error,
  helper,
  children,
  id,
}: {
  label: string;
  error?: string | undefined;
  helper?: ReactNode;
  children: ReactNode;
  id?: string;
}) {
  return (
    <Field.Root invalid={!!error} id={id}>
      <Field.Label fontSize="sm" color="gray.700">
        {label}
      </Field.Label>
      {children}
      {error ? (
        <Field.ErrorText>{error}</Field.ErrorText>
      ) : helper ? (
        <Field.HelperText color="fg.muted">{helper}</Field.HelperText>
      ) : null}
    </Field.Root>
  );
}

function Targets({
  targets,
  set,
  errors,
}: {
  targets: PanelTargets;
  set: (patch: Partial<PanelTargets>) => void;
  errors: Record<string, string | undefined>;
}) {
  const { t } = useTranslation();
  const [more, setMore] = useState(false);
  return (
    <Stack gap="16px">
      <SimpleGrid columns={2} gap="12px">
        <TargetField
          label={t('generate.fields.count')}
          error={errors.count}
          helper={t('generate.help.count', { max: COUNT_MAX })}
        >
          <Input
            type="number"
            inputMode="numeric"
            min={1}
            max={COUNT_MAX}
            value={targets.count}
            onChange={(e) => set({ count: e.target.value })}
            data-testid="generate-count"
            {...inputStyle}
          />
        </TargetField>
        <TargetField label={t('generate.fields.language')} helper={t('generate.help.language')}>
          <NativeSelect.Root>
            <NativeSelect.Field
              value={targets.language}
              onChange={(e) => set({ language: e.target.value as GenLanguage })}
              {...inputStyle}
            >
              <option value="en">English</option>
              <option value="pt-BR">Português (Brasil)</option>
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </TargetField>
        <TargetField label={t('generate.fields.ageMin')} error={errors.ageMin}>
          <Input
            type="number"
            inputMode="numeric"
            min={TARGET_AGE_MIN}
            max={TARGET_AGE_MAX}
            value={targets.ageMin}
            onChange={(e) => set({ ageMin: e.target.value })}
            data-testid="generate-age-min"
            {...inputStyle}
          />
        </TargetField>
        <TargetField label={t('generate.fields.ageMax')} error={errors.ageMax}>
          <Input
            type="number"
            inputMode="numeric"
            min={TARGET_AGE_MIN}
            max={TARGET_AGE_MAX}
            value={targets.ageMax}
            onChange={(e) => set({ ageMax: e.target.value })}
            data-testid="generate-age-max"
            {...inputStyle}
          />
        </TargetField>
      </SimpleGrid>

      <Box as="fieldset">
        <Text as="legend" fontSize="sm" color="gray.700" mb="6px">
          {t('generate.fields.countries')}
        </Text>
        <Wrap gap="6px" data-testid="generate-countries">
          {FACTORY_COUNTRIES.map((c) => {
            const on = targets.countries.includes(c.en);
            return (
              <Button
                key={c.en}
                size="xs"
                borderRadius="full"
                variant={on ? 'solid' : 'outline'}
                colorPalette={on ? 'teal' : 'gray'}
                aria-pressed={on}
                onClick={() =>
                  set({
                    countries: on
                      ? targets.countries.filter((x) => x !== c.en)
                      : [...targets.countries, c.en],
                  })
                }
              >
                {t(`generate.countries.${c.en}`, { defaultValue: c.en })}
              </Button>
            );
          })}
        </Wrap>
        <Text fontSize="xs" color="fg.muted" mt="6px">
          {targets.countries.length
            ? t('generate.help.countries', { count: targets.countries.length })
            : t('generate.help.noCountries')}
        </Text>
      </Box>

      <SimpleGrid columns={{ base: 1, sm: 3 }} gap="12px">
        <TargetField label={t('generate.fields.gender')}>
          <NativeSelect.Root>
            <NativeSelect.Field
              value={targets.gender}
              onChange={(e) => set({ gender: e.target.value as PanelTargets['gender'] })}
              data-testid="generate-gender"
              {...inputStyle}
            >
              {GENDER_TARGETS.map((g) => (
                <option key={g} value={g}>
                  {t(`generate.gender.${g}`)}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </TargetField>
        <TargetField label={t('generate.fields.income')}>
          <NativeSelect.Root>
            <NativeSelect.Field
              value={targets.income}
              onChange={(e) => set({ income: e.target.value as PanelTargets['income'] })}
              {...inputStyle}
            >
              {INCOME_TARGETS.map((g) => (
                <option key={g} value={g}>
                  {t(`generate.income.${g}`)}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </TargetField>
        <TargetField label={t('generate.fields.setting')}>
          <NativeSelect.Root>
            <NativeSelect.Field
              value={targets.setting}
              onChange={(e) => set({ setting: e.target.value as PanelTargets['setting'] })}
              {...inputStyle}
            >
              {SETTING_TARGETS.map((g) => (
                <option key={g} value={g}>
                  {g === 'any' ? t('generate.settingAny') : t(`generate.setting.${g}`)}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </TargetField>
      </SimpleGrid>

      <Box as="fieldset">
        <Text as="legend" fontSize="sm" color="gray.700" mb="6px">
          {t('generate.fields.life')}
        </Text>
        <Flex gap="16px" wrap="wrap">
          {LIFE_TARGETS.map((l) => (
            <Checkbox.Root
              key={l}
              size="sm"
              colorPalette="teal"
              checked={targets.life.includes(l)}
              onCheckedChange={(e) =>
                set({
                  life: e.checked ? [...targets.life, l] : targets.life.filter((x) => x !== l),
                })
              }
            >
              <Checkbox.HiddenInput />
              <Checkbox.Control />
              <Checkbox.Label fontSize="sm">{t(`generate.life.${l}`)}</Checkbox.Label>
            </Checkbox.Root>
          ))}
        </Flex>
      </Box>

      <TargetField label={t('generate.fields.occupations')} helper={t('generate.help.occupations')}>
        <Input
          value={targets.occupations}
          onChange={(e) => set({ occupations: e.target.value })}
          placeholder={t('generate.placeholders.occupations')}
          {...inputStyle}
        />
      </TargetField>
      <TargetField
        label={t('generate.fields.notes')}
        error={errors.notes}
        helper={t('generate.help.notes')}
      >
        <Textarea
          value={targets.notes}
          onChange={(e) => set({ notes: e.target.value })}
          placeholder={t('generate.placeholders.notes')}
          rows={3}
          data-testid="generate-notes"
          {...inputStyle}
        />
      </TargetField>

      <Collapsible.Root open={more} onOpenChange={(e) => setMore(e.open)}>
        <Collapsible.Trigger asChild>
          <Button size="xs" variant="ghost" color="teal.700" px="4px">
            {more ? t('generate.hideAdvanced') : t('generate.showAdvanced')}
          </Button>
        </Collapsible.Trigger>
        <Collapsible.Content>
          <Box mt="8px" maxW="260px">
            <TargetField
              label={t('generate.fields.seed')}
              error={errors.seed}
              helper={t('generate.help.seed')}
            >
              <Input
                inputMode="numeric"
                value={targets.seed}
                onChange={(e) => set({ seed: e.target.value })}
                {...inputStyle}
              />
            </TargetField>
          </Box>
        </Collapsible.Content>
      </Collapsible.Root>
    </Stack>
  );
}

function Result({ result, plan }: { result: GenerateResult; plan: SamplingPlan }) {
  const { t, i18n } = useTranslation();
  const personas = useGeneratedPersonas(result.personas);
  const s = result.stats;
  const [showGroups, setShowGroups] = useState(false);
  return (
    <Stack gap="20px" data-testid="generate-result">
      <Box role="status" bg="green.50" borderRadius="12px" px="16px" py="12px">
        <Text fontWeight="bold" color="green.800">
          {t('generate.result.made', {
            count: result.personas.length,
            asked: s.asked ?? plan.count,
          })}
        </Text>
        <Flex gap="8px" wrap="wrap" align="center" mt="4px" fontSize="xs" color="gray.700">
          <Text>{t('generate.result.seed', { seed: result.seed })}</Text>
          {result.usage ? (
            <Text>
              ·{' '}
              {t('generate.result.usage', {
                calls: formatNumber(result.usage.calls ?? 0, i18n.language),
                tokensIn: formatNumber(result.usage.tokens_in, i18n.language),
                tokensOut: formatNumber(result.usage.tokens_out, i18n.language),
                cost: formatUsd(result.usage.cost_usd, i18n.language),
              })}
            </Text>
          ) : null}
          <OfflineModelBadge size="xs" />
        </Flex>
        {(s.failed ?? 0) > 0 ||
        (s.rejected_duplicate ?? 0) + (s.rejected_near_duplicate ?? 0) > 0 ? (
          <Text fontSize="xs" color="gray.700" mt="4px">
            {t('generate.result.rejected', {
              failed: s.failed ?? 0,
              duplicates: (s.rejected_duplicate ?? 0) + (s.rejected_near_duplicate ?? 0),
            })}
          </Text>
        ) : null}
      </Box>

      <Box>
        <Heading as="h3" fontSize="md" color="gray.700" mb="10px">
          {t('generate.result.personasTitle')}
        </Heading>
        {personas.isPending ? (
          <CardGridSkeleton count={3} />
        ) : personas.isError ? (
          <ErrorState error={personas.error} onRetry={() => void personas.refetch()} compact />
        ) : (
          <SimpleGrid
            columns={{ base: 1, md: 2, lg: 3 }}
            gap="16px"
            as="ul"
            listStyleType="none"
            m={0}
            p={0}
          >
            {personas.data.map((p) => (
              <li key={p.id}>
                <PersonaCard
                  persona={p}
                  tags={p.tags}
                  to={`/personas/${p.id}`}
                  testId="generated-card"
                />
              </li>
            ))}
          </SimpleGrid>
        )}
      </Box>

      <Box>
        <Heading as="h3" fontSize="md" color="gray.700" mb="4px">
          {t('generate.result.compareTitle')}
        </Heading>
        <Text fontSize="sm" color="fg.muted" mb="10px">
          {t('generate.result.compareText')}
        </Text>
        <PlannedVsMade plan={plan} result={result} />
      </Box>

      <Collapsible.Root open={showGroups} onOpenChange={(e) => setShowGroups(e.open)}>
        <Collapsible.Trigger asChild>
          <Button size="xs" variant="ghost" color="teal.700" px="4px">
            {showGroups
              ? t('generate.result.hideGroups')
              : t('generate.result.showGroups', { count: result.plan.groups.length })}
          </Button>
        </Collapsible.Trigger>
        <Collapsible.Content>
          <Stack as="ol" gap="6px" mt="8px" ps="18px" fontSize="sm" color="gray.700">
            {result.plan.groups.map((g, i) => (
              <li key={i}>
                {g.description}{' '}
                <Text as="span" color="fg.muted">
                  {g.planned !== g.quantity
                    ? t('generate.result.groupRepaired', {
                        planned: g.planned,
                        quantity: g.quantity,
                      })
                    : t('generate.result.groupCount', { count: g.quantity })}
                </Text>
              </li>
            ))}
          </Stack>
        </Collapsible.Content>
      </Collapsible.Root>
    </Stack>
  );
}

export function GenerateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const usage = useUsage();
  const generate = useGeneratePersonas();
  const [targets, setTargets] = useState<PanelTargets>(() =>
    defaultTargets(i18n.language === 'pt-BR' ? 'pt-BR' : 'en'),
  );
  const [touched, setTouched] = useState(false);
  const [done, setDone] = useState<{ result: GenerateResult; plan: SamplingPlan } | null>(null);

  const meter = usage.data?.personas;
  const room = meter && meter.limit !== null ? Math.max(0, meter.limit - meter.used) : null;
  const canGenerate = me.data?.plan.custom_personas ?? false;
  const plan = useMemo(() => computePlan(targets), [targets]);
  const found = validateTargets(targets, room);
  const message = (e: TargetError | undefined) =>
    e ? t(`generate.errors.${e.key}`, e.values ?? {}) : undefined;
  const errors = Object.fromEntries(
    Object.entries(found).map(([k, v]) => [
      k,
      touched || k === 'count' || k === 'ageMax' ? message(v) : undefined,
    ]),
  );
  const valid = Object.keys(found).length === 0;
  const busy = generate.isPending;

  const set = (patch: Partial<PanelTargets>) => setTargets((x) => ({ ...x, ...patch }));
  const close = () => {
    if (busy) return;
    if (done) {
      setDone(null);
      generate.reset();
    }
    onClose();
  };

  const run = () => {
    setTouched(true);
    if (!valid) return;
    const body: { description: string; count: number; language: GenLanguage; seed?: number } = {
      description: plan.description,
      count: plan.count,
      language: targets.language,
    };
    if (targets.seed.trim()) body.seed = Number(targets.seed.trim());
    const used = plan;
    generate.mutate(body, { onSuccess: (result) => setDone({ result, plan: used }) });
  };

  const gated = me.data && !canGenerate;
  const full = room !== null && room <= 0;

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(e) => {
        if (!e.open) close();
      }}
      size={{ base: 'full', md: 'xl' }}
      placement="center"
      scrollBehavior="inside"
    >
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content
            borderRadius={{ base: 0, md: 'card' }}
            maxW={{ md: '1100px' }}
            data-testid="generate-dialog"
          >
            <Dialog.Header>
              <Box>
                <Dialog.Title fontSize="lg" color="gray.700">
                  {t('generate.title')}
                </Dialog.Title>
                <Dialog.Description fontSize="sm" color="fg.muted">
                  {t('generate.subtitle')}
                </Dialog.Description>
              </Box>
            </Dialog.Header>
            <Dialog.Body>
              {me.isPending || usage.isPending ? (
                <Stack gap="12px" aria-busy="true" aria-label={t('common.loading')}>
                  <Skeleton h="40px" />
                  <Skeleton h="160px" />
                </Stack>
              ) : me.isError ? (
                <ErrorState error={me.error} onRetry={() => void me.refetch()} />
              ) : gated ? (
                <UpgradeNotice
                  testId="generate-gate"
                  title={t('generate.gate.title')}
                  text={t('generate.gate.text')}
                />
              ) : done ? (
                <Result result={done.result} plan={done.plan} />
              ) : busy ? (
                <Stack
                  gap="12px"
                  py="24px"
                  role="status"
                  aria-live="polite"
                  data-testid="generate-running"
                >
                  <Text color="gray.700" fontWeight="bold">
                    {t('generate.running', { count: plan.count })}
                  </Text>
                  <Text fontSize="sm" color="fg.muted">
                    {t('generate.runningText')}
                  </Text>
                  <Progress.Root value={null} size="sm" colorPalette="teal">
                    <Progress.Track borderRadius="full">
                      <Progress.Range />
                    </Progress.Track>
                  </Progress.Root>
                </Stack>
              ) : (
                <Stack gap="16px">
                  {full ? (
                    <UpgradeNotice
                      testId="generate-full"
                      title={t('generate.full.title')}
                      text={t('generate.full.text', { limit: meter?.limit ?? 0 })}
                    />
                  ) : found.count?.key === 'countRoom' ? (
                    <UpgradeNotice
                      testId="generate-room"
                      title={t('generate.room.title', { room: room ?? 0, count: room ?? 0 })}
                      text={t('generate.room.text')}
                    />
                  ) : null}
                  {generate.isError ? (
                    <InlineError error={generate.error} onRetry={run} testId="generate-error" />
                  ) : null}
                  <Grid
                    templateColumns={{
                      base: 'minmax(0, 1fr)',
                      lg: 'minmax(0, 1fr) minmax(0, 1fr)',
                    }}
                    gap="24px"
                    alignItems="start"
                  >
                    <Box as="section" aria-labelledby="generate-targets">
                      <Heading
                        as="h3"
                        id="generate-targets"
                        fontSize="md"
                        color="gray.700"
                        mb="12px"
                      >
                        {t('generate.targetsTitle')}
                      </Heading>
                      <Targets targets={targets} set={set} errors={errors} />
                    </Box>
                    <Box
                      as="section"
                      aria-labelledby="generate-plan"
                      bg="gray.50"
                      borderRadius="card"
                      p="16px"
                      position={{ lg: 'sticky' }}
                      top={0}
                    >
                      <Heading as="h3" id="generate-plan" fontSize="md" color="gray.700" mb="4px">
                        {t('generate.planTitle')}
                      </Heading>
                      <Text fontSize="xs" color="fg.muted" mb="12px">
                        {t('generate.planText')}
                      </Text>
                      {plan.count > 0 ? (
                        <SamplingPlanView plan={plan} />
                      ) : (
                        <Text fontSize="sm" color="fg.muted">
                          {t('generate.planEmpty')}
                        </Text>
                      )}
                      <Box mt="16px">
                        <Text
                          fontSize="xs"
                          fontWeight="bold"
                          color="fg.muted"
                          textTransform="uppercase"
                          mb="4px"
                        >
                          {t('generate.descriptionTitle')}
                        </Text>
                        <Text
                          fontSize="sm"
                          color="gray.700"
                          bg="white"
                          borderRadius="10px"
                          px="10px"
                          py="8px"
                          data-testid="generate-description"
                        >
                          {plan.description}
                        </Text>
                      </Box>
                    </Box>
                  </Grid>
                </Stack>
              )}
            </Dialog.Body>
            <Dialog.Footer gap="8px" flexWrap="wrap">
              {done ? (
                <>
                  <Button
                    variant="outline"
                    onClick={() => {
                      setDone(null);
                      generate.reset();
                    }}
                  >
                    {t('generate.again')}
                  </Button>
                  <Button variant="ghost" onClick={close}>
                    {t('generate.close')}
                  </Button>
                  <Button
                    colorPalette="teal"
                    onClick={() => {
                      close();
                      navigate('/personas?type=generated');
                    }}
                    data-testid="generate-show-list"
                  >
                    {t('generate.showInList')}
                  </Button>
                </>
              ) : (
                <>
                  <Button variant="outline" onClick={close} disabled={busy}>
                    {t('generate.cancel')}
                  </Button>
                  {gated ? null : (
                    <Button
                      colorPalette="teal"
                      onClick={run}
                      loading={busy}
                      disabled={!valid || full || plan.count < 1}
                      data-testid="generate-confirm"
                    >
                      {t('generate.confirm', { count: plan.count })}
                    </Button>
                  )}
                </>
              )}
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
