/*
 * "Generate a panel": the panel's targets (how many, ages, countries,
 * gender, income, setting, life stage, occupations, anything else) make the
 * description; "Preview the plan" asks the model for its sampling plan with
 * a dry run of POST /api/personas/generate (groups, the people drawn, what
 * it cost) and shows it; "Generate" then sends the same request with the
 * seed the dry run answered, so the people made are the ones shown. Changing
 * the targets asks for a new preview. Plan gates and the persona cap are an
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
  VisuallyHidden,
  Wrap,
} from '@chakra-ui/react';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMe } from '../../api/auth';
import { isApiError } from '../../api/client';
import {
  useGeneratePersonas,
  useGeneratedPersonas,
  usePreviewGeneration,
  type GenerateResult,
} from '../../api/personas';
import { useUsage } from '../../api/usage';
import { ActionError } from '../../components/ActionError';
import { OfflineModelBadge } from '../../components/Badges';
import { ErrorState } from '../../components/ErrorState';
import { CardGridSkeleton } from '../../components/Skeletons';
import { UpgradePrompt } from '../../components/UpgradePrompt';
import { formatNumber, formatUsd } from '../../lib/format';
import { PersonaCard } from './PersonaCard';
import { PlannedVsMade, SamplingPlanView } from './SamplingPlanView';
import {
  COUNTRY_CHOICES,
  COUNT_MAX,
  GENDER_TARGETS,
  INCOME_TARGETS,
  LIFE_TARGETS,
  SETTING_TARGETS,
  TARGET_AGE_MAX,
  TARGET_AGE_MIN,
  defaultTargets,
  describeTargets,
  requestOf,
  sameRequest,
  validateTargets,
  type GenerateBody,
  type GenLanguage,
  type PanelTargets,
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
          {COUNTRY_CHOICES.map((c) => {
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

function Result({ result, preview }: { result: GenerateResult; preview: GenerateResult }) {
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
            asked: s.asked ?? preview.samples.length,
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
        <PlannedVsMade preview={preview} result={result} />
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

/** The model failed or is busy (502, 503, 504): said in the dialog's own words. */
function modelFailed(error: unknown): boolean {
  return (
    isApiError(error) &&
    (error.code === 'upstream_error' || error.code === 'unavailable' || error.code === 'timeout')
  );
}

/** A dry run's answer and the request it answered. */
interface Preview {
  request: GenerateBody;
  result: GenerateResult;
}

/** The plan column: the description sent, then the dry run's plan (or why there is none yet). */
function PlanPanel({
  description,
  preview,
  stale,
  pending,
  error,
  onRetry,
}: {
  description: string;
  preview: Preview | null;
  stale: boolean;
  pending: boolean;
  error: unknown;
  onRetry: () => void;
}) {
  const { t, i18n } = useTranslation();
  const shown = preview?.result;
  // what a screen reader hears when the plan comes, fails or goes out of date
  const said = pending
    ? t('generate.previewing')
    : error
      ? ''
      : shown
        ? t('generate.plan.summary', {
            count: shown.samples.length,
            formatted: formatNumber(shown.samples.length, i18n.language),
            groups: shown.plan.groups.length,
          })
        : stale
          ? t('generate.planStale')
          : '';
  return (
    <Stack gap="16px">
      <VisuallyHidden role="status" aria-live="polite">
        {said}
      </VisuallyHidden>
      <Box>
        <Text fontSize="xs" fontWeight="bold" color="fg.muted" textTransform="uppercase" mb="4px">
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
          {description}
        </Text>
      </Box>
      {pending ? (
        <Stack
          gap="10px"
          aria-busy="true"
          aria-label={t('generate.previewing')}
          data-testid="plan-loading"
        >
          <Text fontSize="sm" color="fg.muted">
            {t('generate.previewing')}
          </Text>
          <Skeleton h="18px" w="60%" />
          <Skeleton h="120px" />
          <Skeleton h="80px" />
        </Stack>
      ) : error ? (
        <ActionError
          error={error}
          message={modelFailed(error) ? t('generate.errors.modelPlan') : null}
          onRetry={onRetry}
          testId="generate-preview-error"
        />
      ) : preview ? (
        <SamplingPlanView result={preview.result} />
      ) : stale ? (
        <Box
          bg="orange.50"
          borderLeft="4px solid"
          borderColor="orange.400"
          borderRadius="10px"
          px="12px"
          py="10px"
          fontSize="sm"
          color="gray.700"
          data-testid="plan-stale"
        >
          {t('generate.planStale')}
        </Box>
      ) : (
        <Text fontSize="sm" color="fg.muted" data-testid="plan-empty">
          {t('generate.planEmpty')}
        </Text>
      )}
    </Stack>
  );
}

export function GenerateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const usage = useUsage();
  const previewing = usePreviewGeneration();
  const generate = useGeneratePersonas();
  const [targets, setTargets] = useState<PanelTargets>(() =>
    defaultTargets(i18n.language === 'pt-BR' ? 'pt-BR' : 'en'),
  );
  const [touched, setTouched] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [done, setDone] = useState<{ result: GenerateResult; preview: GenerateResult } | null>(
    null,
  );
  const planRef = useRef<HTMLElement | null>(null);

  const meter = usage.data?.personas;
  const room = meter && meter.limit !== null ? Math.max(0, meter.limit - meter.used) : null;
  const canGenerate = me.data?.plan.custom_personas ?? false;
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
  const request = requestOf(targets);
  // the preview shown is the plan of these very targets; any change asks for a new one
  const current = preview && sameRequest(preview.request, request) ? preview : null;
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

  const runPreview = () => {
    setTouched(true);
    if (!valid) return;
    const asked = request;
    generate.reset();
    previewing.mutate(asked, {
      onSuccess: (result) => {
        setPreview({ request: asked, result });
        // on a phone the plan is below the targets: bring it into view
        if (window.matchMedia?.('(max-width: 61.99em)').matches)
          requestAnimationFrame(() =>
            planRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }),
          );
      },
    });
  };

  const run = () => {
    setTouched(true);
    if (!valid || !current) return;
    const shown = current.result;
    // the same request with the dry run's seed: the plan and the people it showed
    generate.mutate(
      { ...current.request, seed: shown.seed },
      {
        onSuccess: (result) => {
          setDone({ result, preview: shown });
          // its seed is spent: more personas need a new draw
          setPreview(null);
        },
      },
    );
  };

  const gated = me.data && !canGenerate;
  const full = room !== null && room <= 0;
  const count = current?.result.samples.length ?? request.count;

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
                <UpgradePrompt
                  testId="generate-gate"
                  actionLabel={t('actions.upgrade')}
                  title={t('generate.gate.title')}
                  text={t('generate.gate.text')}
                />
              ) : done ? (
                <Result result={done.result} preview={done.preview} />
              ) : busy ? (
                <Stack
                  gap="12px"
                  py="24px"
                  role="status"
                  aria-live="polite"
                  data-testid="generate-running"
                >
                  <Text color="gray.700" fontWeight="bold">
                    {t('generate.running', { count })}
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
                    <UpgradePrompt
                      testId="generate-full"
                      actionLabel={t('actions.upgrade')}
                      title={t('generate.full.title')}
                      text={t('generate.full.text', { limit: meter?.limit ?? 0 })}
                    />
                  ) : found.count?.key === 'countRoom' ? (
                    <UpgradePrompt
                      testId="generate-room"
                      actionLabel={t('actions.upgrade')}
                      title={t('generate.room.title', { room: room ?? 0, count: room ?? 0 })}
                      text={t('generate.room.text')}
                    />
                  ) : null}
                  {generate.isError ? (
                    <ActionError
                      error={generate.error}
                      message={
                        modelFailed(generate.error) ? t('generate.errors.modelGenerate') : null
                      }
                      onRetry={current ? run : undefined}
                      testId="generate-error"
                    />
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
                      ref={planRef}
                      aria-labelledby="generate-plan"
                      bg="gray.50"
                      borderRadius="card"
                      p="16px"
                      scrollMarginTop="8px"
                    >
                      <Heading as="h3" id="generate-plan" fontSize="md" color="gray.700" mb="4px">
                        {t('generate.planTitle')}
                      </Heading>
                      <Text fontSize="xs" color="fg.muted" mb="12px">
                        {t('generate.planText')}
                      </Text>
                      <PlanPanel
                        description={describeTargets(targets)}
                        preview={current}
                        stale={!!preview && !current}
                        pending={previewing.isPending}
                        error={previewing.isError ? previewing.error : null}
                        onRetry={runPreview}
                      />
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
                  {gated || (current && request.seed !== undefined) ? null : (
                    <Button
                      colorPalette="teal"
                      variant={current ? 'outline' : 'solid'}
                      onClick={runPreview}
                      loading={previewing.isPending}
                      loadingText={t('generate.previewing')}
                      disabled={busy || full || !me.data}
                      data-testid="generate-preview"
                    >
                      {current ? t('generate.drawAgain') : t('generate.preview')}
                    </Button>
                  )}
                  {gated ? null : (
                    <Button
                      colorPalette="teal"
                      onClick={run}
                      loading={busy}
                      disabled={!current || !valid || full || previewing.isPending}
                      title={current ? undefined : t('generate.previewFirst')}
                      data-testid="generate-confirm"
                    >
                      {t('generate.confirm', { count })}
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
