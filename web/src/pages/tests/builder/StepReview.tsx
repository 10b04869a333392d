import {
  Alert,
  Box,
  Button,
  Code,
  Flex,
  Heading,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../api/auth';
import type { Estimate } from '../../../api/tests';
import { OfflineModelBadge } from '../../../components/Badges';
import { isApiError } from '../../../api/client';
import { ErrorState } from '../../../components/ErrorState';
import { formatNumber, formatUsd } from '../../../lib/format';
import { criteriaEnv, criterionText, typeRules, type BuilderForm } from './form';
import { STEPS, stepOf, type Issues, type Step } from './validate';
import { PencilIcon, PlayIcon } from '../../../components/Icons';

function Section({
  title,
  step,
  onEdit,
  children,
}: {
  title: string;
  step: Step;
  onEdit: (s: Step) => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Box borderWidth="1px" borderColor="gray.100" borderRadius="12px" p="12px">
      <Flex align="center" gap="8px" mb="6px">
        <Heading as="h3" fontSize="sm" color="gray.700" flex="1">
          {title}
        </Heading>
        <Button
          size="xs"
          variant="ghost"
          onClick={() => onEdit(step)}
          aria-label={t('builder.review.editStep', { step: title })}
        >
          <PencilIcon boxSize="14px" />
          {t('builder.review.edit')}
        </Button>
      </Flex>
      <Box fontSize="sm" color="gray.700">
        {children}
      </Box>
    </Box>
  );
}

/** What a run of the saved test will cost, by POST /api/tests/:id/estimate. */
export function EstimateView({ estimate }: { estimate: Estimate }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const stats: [string, string, string?][] = [
    ['personas', formatNumber(estimate.personas, lng)],
    [
      'calls',
      formatNumber(estimate.calls, lng),
      estimate.generate_calls
        ? t('builder.estimate.generateCalls', { count: estimate.generate_calls })
        : undefined,
    ],
    ['tokensIn', formatNumber(estimate.tokens_in, lng)],
    ['tokensOut', formatNumber(estimate.tokens_out, lng)],
    [
      'cost',
      formatUsd(estimate.cost_usd, lng),
      estimate.priced ? undefined : t('builder.estimate.unpriced'),
    ],
  ];
  return (
    <Box data-testid="estimate">
      <Flex align="center" gap="8px" mb="10px" wrap="wrap">
        <Text fontSize="sm" color="fg.muted" flex="1">
          {t('builder.estimate.model', { model: estimate.model })}
        </Text>
        <OfflineModelBadge />
      </Flex>
      <SimpleGrid minChildWidth="112px" gap="10px">
        {stats.map(([k, v, note]) => (
          <Box key={k} bg="gray.50" borderRadius="12px" p="10px" data-testid={`estimate-${k}`}>
            <Text fontSize="xs" color="fg.muted" fontWeight="bold">
              {t(`builder.estimate.${k}`)}
            </Text>
            <Text fontSize="lg" fontWeight="bold" color="gray.700">
              {v}
            </Text>
            {note ? (
              <Text fontSize="xs" color="fg.muted">
                {note}
              </Text>
            ) : null}
          </Box>
        ))}
      </SimpleGrid>
      {estimate.scenarios.length > 1 ? (
        <Table.ScrollArea mt="10px">
          <Table.Root size="sm">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeader>{t('builder.estimate.scenario')}</Table.ColumnHeader>
                <Table.ColumnHeader textAlign="end">
                  {t('builder.estimate.calls')}
                </Table.ColumnHeader>
                <Table.ColumnHeader textAlign="end">
                  {t('builder.estimate.tokensIn')}
                </Table.ColumnHeader>
                <Table.ColumnHeader textAlign="end">
                  {t('builder.estimate.tokensOut')}
                </Table.ColumnHeader>
                <Table.ColumnHeader textAlign="end">
                  {t('builder.estimate.cost')}
                </Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {estimate.scenarios.map((s) => (
                <Table.Row key={s.id}>
                  <Table.Cell>
                    <Code fontSize="xs">{s.id}</Code>
                  </Table.Cell>
                  <Table.Cell textAlign="end">{formatNumber(s.calls, lng)}</Table.Cell>
                  <Table.Cell textAlign="end">{formatNumber(s.tokens_in, lng)}</Table.Cell>
                  <Table.Cell textAlign="end">{formatNumber(s.tokens_out, lng)}</Table.Cell>
                  <Table.Cell textAlign="end">{formatUsd(s.cost_usd, lng)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      ) : null}
      <Text fontSize="xs" color="fg.muted" mt="8px">
        {t('builder.estimate.note')}
      </Text>
    </Box>
  );
}

/** Why there is no estimate: an empty panel said plainly (with the way to change it), else the error. */
export function EstimateError({
  error,
  onRetry,
  onPanel,
}: {
  error: unknown;
  onRetry: () => void;
  onPanel?: () => void;
}) {
  const { t } = useTranslation();
  if (isApiError(error) && error.code === 'conflict' && error.field?.startsWith('config.panel'))
    return (
      <Alert.Root
        status="warning"
        borderRadius="card"
        alignItems="center"
        data-testid="empty-panel"
      >
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>{t('builder.estimate.emptyPanel')}</Alert.Title>
          <Alert.Description>{t('builder.estimate.emptyPanelText')}</Alert.Description>
        </Alert.Content>
        {onPanel ? (
          <Button size="sm" variant="outline" bg="white" onClick={onPanel}>
            {t('builder.estimate.changePanel')}
          </Button>
        ) : null}
      </Alert.Root>
    );
  return (
    <ErrorState error={error} onRetry={onRetry} compact title={t('builder.estimate.failed')} />
  );
}

/** Runs are not limited by any plan (only personas, projects and members are): said plainly. */
export function PlanRunsNote() {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.data) return null;
  return (
    <Text fontSize="sm" color="fg.muted" data-testid="plan-runs">
      {t('builder.estimate.planRuns', {
        plan: t(`plans.${me.data.plan.name}`, { defaultValue: me.data.plan.name }),
      })}
    </Text>
  );
}

export function StepReview({
  form,
  issues,
  onEdit,
  saved,
  dirty,
  saving,
  onSave,
  saveError,
  estimate,
  estimating,
  estimateError,
  onEstimate,
  onRun,
  running,
  runNotice,
  onOpen,
  locked,
}: {
  form: BuilderForm;
  issues: Issues;
  onEdit: (s: Step) => void;
  saved: boolean;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  saveError: unknown;
  estimate: Estimate | undefined;
  estimating: boolean;
  estimateError: unknown;
  onEstimate: () => void;
  onRun: () => void;
  running: boolean;
  runNotice?: ReactNode;
  onOpen: () => void;
  locked: boolean;
}) {
  const { t } = useTranslation();
  const rules = typeRules(form.type);
  const env = criteriaEnv(form);
  const byStep = STEPS.map(
    (s) => [s, Object.keys(issues).filter((p) => stepOf(p) === s).length] as const,
  ).filter(([, n]) => n > 0);
  const questionCount = form.scenarios.reduce((n, s) => n + s.questions.length, 0);
  const variantCount = form.scenarios.reduce(
    (n, s) => n + (rules.variants ? s.variants.length : 0),
    0,
  );
  const panel = (() => {
    switch (form.panelMode) {
      case 'personas':
        return t('builder.review.panelPersonas', { count: form.personaIds.length });
      case 'library':
        return t('builder.review.panelLibrary');
      case 'filter':
        return t('builder.review.panelFilter');
      case 'templates':
        return t('builder.review.panelTemplates');
      case 'generate':
        return t('builder.review.panelGenerate', { count: Number(form.generateCount) || 0 });
    }
  })();
  const p = form.params;
  const paramBits = [
    p.modelName.trim() && t('builder.review.pModel', { model: p.modelName.trim() }),
    p.temperature.trim() && t('builder.review.pTemperature', { value: p.temperature.trim() }),
    p.seed.trim() && t('builder.review.pSeed', { value: p.seed.trim() }),
    t('builder.review.pSamples', { count: Number(p.samples) || 1 }),
    t(`builder.params.elicit.${p.elicitation}`),
    p.timeout.trim() && t('builder.review.pTimeout', { value: p.timeout.trim() }),
  ].filter(Boolean);

  return (
    <Stack gap="16px">
      {byStep.length ? (
        <Alert.Root status="error" borderRadius="card" data-testid="review-issues">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>{t('builder.review.issuesTitle')}</Alert.Title>
            <Alert.Description>
              <Flex gap="8px" wrap="wrap" mt="6px">
                {byStep.map(([s, n]) => (
                  <Button key={s} size="xs" variant="outline" bg="white" onClick={() => onEdit(s)}>
                    {t('builder.review.issuesIn', { step: t(`builder.steps.${s}`), count: n })}
                  </Button>
                ))}
              </Flex>
            </Alert.Description>
          </Alert.Content>
        </Alert.Root>
      ) : null}

      <SimpleGrid columns={{ base: 1, md: 2 }} gap="12px">
        <Section title={t('builder.review.basics')} step="basics" onEdit={onEdit}>
          <Text fontWeight="bold" data-testid="review-name">
            {form.name.trim() || '—'}
          </Text>
          <Text color="fg.muted">{form.type ? t(`tests.type.${form.type}`) : '—'}</Text>
        </Section>
        <Section title={t('builder.steps.stimuli')} step="stimuli" onEdit={onEdit}>
          <Text>
            {t(rules.steps ? 'builder.review.steps' : 'builder.review.scenarios', {
              count: form.scenarios.length,
            })}
            {variantCount ? ` · ${t('builder.review.variants', { count: variantCount })}` : ''}
          </Text>
          <Text color="fg.muted" lineClamp={2}>
            {form.scenarios[0]?.title || form.scenarios[0]?.stimulus}
          </Text>
        </Section>
        <Section title={t('builder.steps.questions')} step="questions" onEdit={onEdit}>
          <Text>{t('builder.review.questions', { count: questionCount })}</Text>
          {rules.moderator ? (
            <Text color="fg.muted">
              {t('builder.review.moderator', {
                count: form.moderatorQuestions.length,
                rounds: Number(form.moderatorRounds) || 0,
              })}
            </Text>
          ) : null}
        </Section>
        <Section title={t('builder.steps.panel')} step="panel" onEdit={onEdit}>
          <Text>{panel}</Text>
        </Section>
        <Section title={t('builder.steps.parameters')} step="parameters" onEdit={onEdit}>
          <Text>{paramBits.join(' · ')}</Text>
        </Section>
        <Section title={t('builder.steps.criteria')} step="criteria" onEdit={onEdit}>
          {form.criteria.length ? (
            <Stack gap="2px">
              {form.criteria.map((c) => (
                <Code key={c.key} fontSize="xs" whiteSpace="pre-wrap" bg="gray.50">
                  {criterionText(c, env)}
                </Code>
              ))}
            </Stack>
          ) : (
            <Text color="fg.muted">{t('builder.review.noCriteria')}</Text>
          )}
        </Section>
      </SimpleGrid>

      <Box
        borderWidth="1px"
        borderColor="teal.200"
        borderRadius="card"
        p={{ base: '12px', md: '18px' }}
        bg="teal.50"
      >
        <Heading as="h3" fontSize="md" color="gray.700" mb="6px">
          {t('builder.estimate.title')}
        </Heading>
        {locked ? (
          <Text fontSize="sm" color="gray.700">
            {t('builder.review.locked')}
          </Text>
        ) : !saved || dirty ? (
          <Text fontSize="sm" color="gray.700" mb="10px">
            {saved ? t('builder.estimate.saveChanges') : t('builder.estimate.saveFirst')}
          </Text>
        ) : null}
        {saveError ? <ErrorState error={saveError} onRetry={onSave} compact /> : null}
        {saved && !dirty ? (
          estimating ? (
            <Stack gap="8px" aria-busy="true" aria-label={t('common.loading')}>
              <Skeleton h="20px" w="40%" />
              <SimpleGrid columns={{ base: 2, md: 5 }} gap="10px">
                {[0, 1, 2, 3, 4].map((i) => (
                  <Skeleton key={i} h="60px" />
                ))}
              </SimpleGrid>
            </Stack>
          ) : estimateError ? (
            <EstimateError
              error={estimateError}
              onRetry={onEstimate}
              onPanel={() => onEdit('panel')}
            />
          ) : estimate ? (
            <EstimateView estimate={estimate} />
          ) : (
            <Button size="sm" variant="outline" onClick={onEstimate}>
              {t('builder.estimate.get')}
            </Button>
          )
        ) : null}
        <Box mt="10px">
          <PlanRunsNote />
        </Box>
        {runNotice ? <Box mt="10px">{runNotice}</Box> : null}
        <Flex gap="10px" mt="14px" wrap="wrap">
          {!saved || dirty ? (
            <Button
              colorPalette="teal"
              onClick={onSave}
              loading={saving}
              disabled={byStep.length > 0 || locked}
              data-testid="save-test"
            >
              {saved ? t('builder.review.saveChanges') : t('builder.review.save')}
            </Button>
          ) : (
            <>
              <Button
                colorPalette="teal"
                onClick={onRun}
                loading={running}
                disabled={locked}
                data-testid="run-test"
              >
                <PlayIcon boxSize="14px" />
                {t('builder.review.run')}
              </Button>
              <Button variant="outline" onClick={onOpen} data-testid="open-test">
                {t('builder.review.open')}
              </Button>
            </>
          )}
        </Flex>
      </Box>
    </Stack>
  );
}
