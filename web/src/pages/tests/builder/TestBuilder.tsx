/*
 * /tests/new and /tests/:testId/edit - the test builder, a wizard: the type,
 * the stimuli and their variants, the questions, the panel, the parameters,
 * the success criteria, then a review that saves the test and shows what a
 * run will cost before it is started. Everything typed stays in one state
 * while the user moves between steps and when a request fails; the API's
 * refusal of a field is shown at that field, on its step.
 */
import { Alert, Box, Button, Flex, Heading, Skeleton, Stack, Text } from '@chakra-ui/react';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useMe } from '../../../api/auth';
import {
  isActive,
  useEstimateTest,
  useRunTest,
  useSaveTest,
  useTest,
  type Test,
} from '../../../api/tests';
import { Card } from '../../../components/Card';
import { ErrorState } from '../../../components/ErrorState';
import { CheckIcon, ChevronLeftIcon, ChevronRightIcon } from '../../../components/Icons';
import { ActionError, UpgradePrompt } from '../PlanGate';
import { CriteriaEditor } from './CriteriaEditor';
import { ErrorsContext, fieldId } from './errorsContext';
import { LeaveGuard } from './LeaveGuard';
import { criteriaEnv, emptyForm, formFromTest, specFromForm, type BuilderForm } from './form';
import { isLive, serverIssueFrom, type ServerIssue } from './serverIssue';
import { StepBasics } from './StepBasics';
import { StepPanel } from './StepPanel';
import { StepParameters } from './StepParameters';
import { StepQuestions } from './StepQuestions';
import { StepReview } from './StepReview';
import { StepStimuli } from './StepStimuli';
import { issuesOf, STEPS, stepOf, validateForm, type Step } from './validate';

function Stepper({
  step,
  onGo,
  counts,
  attempted,
  disabled,
}: {
  step: Step;
  onGo: (s: Step) => void;
  counts: Record<Step, number>;
  attempted: Set<Step>;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const current = STEPS.indexOf(step);
  return (
    <Box as="nav" aria-label={t('builder.stepsLabel')}>
      <Flex
        as="ol"
        gap={{ base: '2px', md: '6px' }}
        listStyleType="none"
        m={0}
        p={0}
        wrap={{ base: 'nowrap', md: 'wrap' }}
        overflowX={{ base: 'auto', md: 'visible' }}
      >
        {STEPS.map((s, i) => {
          const here = s === step;
          const bad = attempted.has(s) && counts[s] > 0;
          const done = i < current && !bad;
          return (
            <li key={s}>
              <Button
                size="sm"
                variant={here ? 'solid' : 'ghost'}
                colorPalette={bad ? 'red' : 'teal'}
                borderRadius="12px"
                aria-current={here ? 'step' : undefined}
                onClick={() => onGo(s)}
                disabled={disabled && s !== 'basics'}
                px={{ base: '6px', md: '10px' }}
                aria-label={`${i + 1}. ${t(`builder.steps.${s}`)}${bad ? ` ${t('builder.stepHasIssues')}` : ''}`}
                minW={0}
                data-testid={`step-${s}`}
                color={here ? undefined : bad ? 'red.600' : 'gray.700'}
              >
                <Flex
                  as="span"
                  w="22px"
                  h="22px"
                  borderRadius="full"
                  align="center"
                  justify="center"
                  fontSize="xs"
                  fontWeight="bold"
                  bg={here ? 'white' : bad ? 'red.100' : done ? 'teal.300' : 'gray.100'}
                  color={here ? 'gray.700' : bad ? 'red.700' : done ? 'gray.700' : 'gray.600'}
                  aria-hidden="true"
                >
                  {done ? <CheckIcon boxSize="12px" /> : bad ? '!' : i + 1}
                </Flex>
                {/* on a phone the numbers alone: the step's name heads the card below */}
                <Box as="span" hideBelow="md">
                  {t(`builder.steps.${s}`)}
                </Box>
              </Button>
            </li>
          );
        })}
      </Flex>
    </Box>
  );
}

function Builder({ initial, test }: { initial: BuilderForm; test?: Test | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const [form, setFormState] = useState<BuilderForm>(initial);
  const [step, setStep] = useState<Step>(test ? 'review' : 'basics');
  const [attempted, setAttempted] = useState<Set<Step>>(() => new Set(test ? STEPS : []));
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [serverIssue, setServerIssue] = useState<ServerIssue | null>(null);
  const [saved, setSaved] = useState<{ id: string; json: string } | null>(() =>
    test ? { id: test.id, json: JSON.stringify(specFromForm(initial)) } : null,
  );
  const save = useSaveTest();
  const estimate = useEstimateTest();
  const run = useRunTest();
  const top = useRef<HTMLDivElement>(null);

  const setForm = (fn: (prev: BuilderForm) => BuilderForm) => setFormState((f) => fn(f));
  const spec = useMemo(() => specFromForm(form), [form]);
  const specJson = JSON.stringify(spec);
  const dirty = !saved || saved.json !== specJson;
  // something typed and not saved: leaving asks first
  const pristine = useMemo(() => JSON.stringify(specFromForm(initial)), [initial]);
  const unsaved = specJson !== (saved?.json ?? pristine);
  const canGenerate = me.data?.plan.custom_personas;
  const issues = useMemo(() => validateForm(form, { canGenerate }), [form, canGenerate]);
  const counts = Object.fromEntries(
    STEPS.map((s) => [s, Object.keys(issuesOf(issues, s)).length]),
  ) as Record<Step, number>;
  const liveServer = isLive(serverIssue, spec) ? serverIssue : null;
  const locked = !!test && isActive(test.status);

  const errorsValue = useMemo(
    () => ({
      issues,
      server: liveServer,
      shown: (path: string) => {
        const s = stepOf(path);
        return attempted.has(s) || touched.has(path) || s === 'criteria';
      },
      touch: (path: string) =>
        setTouched((prev) => (prev.has(path) ? prev : new Set(prev).add(path))),
    }),
    [issues, liveServer, attempted, touched],
  );

  const go = (s: Step) => {
    setStep(s);
    // the new step starts at the top of the wizard (no animation: the content changes at once)
    const el = top.current;
    if (el && el.getBoundingClientRect().top < 0) el.scrollIntoView({ block: 'start' });
    // the review lists every step's mistakes: each step shows them from then on
    if (s === 'review') setAttempted(new Set(STEPS));
  };

  const next = () => {
    const here = issuesOf(issues, step);
    const first = Object.keys(here)[0];
    if (first) {
      setAttempted((prev) => new Set(prev).add(step));
      requestAnimationFrame(() => document.getElementById(fieldId(first))?.focus());
      return;
    }
    const i = STEPS.indexOf(step);
    const s = STEPS[i + 1];
    if (s) go(s);
  };

  const doEstimate = (id: string) => estimate.mutate(id);

  const doSave = async () => {
    setServerIssue(null);
    save.reset();
    const input = spec;
    if (!dirty && saved) {
      doEstimate(saved.id);
      return;
    }
    try {
      const res = await save.mutateAsync({ id: saved?.id, input });
      setSaved({ id: res.id, json: JSON.stringify(input) });
      doEstimate(res.id);
    } catch (e) {
      const issue = serverIssueFrom(e, input);
      if (issue) {
        setServerIssue(issue);
        save.reset();
        setAttempted((prev) => new Set(prev).add(issue.step));
        setStep(issue.step);
        requestAnimationFrame(() => document.getElementById(fieldId(issue.path))?.focus());
      }
    }
  };

  const doRun = () => {
    if (!saved) return;
    run.mutate(saved.id, {
      onSuccess: (r) => navigate(`/tests/${saved.id}/runs/${r.id}`),
    });
  };

  const stepIndex = STEPS.indexOf(step);
  const noType = !form.type;
  const stepServer = liveServer && liveServer.step === step ? liveServer : null;
  // a picked persona deleted since (404 naming config.personas[i]): offer to take it out
  const missingMatch =
    stepServer?.status === 404 ? /^config\.personas\[(\d+)\]$/.exec(stepServer.path) : null;
  const missingPersona = missingMatch ? Number(missingMatch[1]) : null;

  return (
    <Stack gap="20px" ref={top} scrollMarginTop="100px">
      <LeaveGuard when={unsaved} />
      <Card py="14px">
        <Stepper step={step} onGo={go} counts={counts} attempted={attempted} disabled={noType} />
      </Card>
      {locked ? (
        <Alert.Root status="info" borderRadius="card">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>{t('builder.lockedTitle')}</Alert.Title>
            <Alert.Description>{t('builder.lockedText')}</Alert.Description>
          </Alert.Content>
        </Alert.Root>
      ) : null}
      <Card>
        <Flex mb="16px" gap="12px" align="baseline" wrap="wrap">
          <Box flex="1" minW="200px">
            <Text fontSize="xs" color="fg.muted" fontWeight="bold" textTransform="uppercase">
              {t('builder.stepOf', { n: stepIndex + 1, total: STEPS.length })}
            </Text>
            <Heading as="h2" fontSize="lg" color="gray.700" data-testid="step-title">
              {t(`builder.steps.${step}`)}
            </Heading>
            <Text fontSize="sm" color="fg.muted">
              {t(`builder.stepHelp.${step}`)}
            </Text>
          </Box>
          {saved && !dirty ? (
            <Text fontSize="xs" color="green.700" fontWeight="bold">
              {t('builder.review.saved')}
            </Text>
          ) : saved ? (
            <Text fontSize="xs" color="orange.700" fontWeight="bold">
              {t('builder.unsaved')}
            </Text>
          ) : null}
        </Flex>
        {stepServer ? (
          <Box mb="16px" data-testid="server-issue">
            {stepServer.status === 403 ? (
              <UpgradePrompt
                title={t('builder.panel.generateGateTitle')}
                text={stepServer.message}
              />
            ) : (
              <Alert.Root status="error" borderRadius="card" role="alert" alignItems="center">
                <Alert.Indicator />
                <Alert.Content>
                  <Alert.Title>{t('builder.serverRefused')}</Alert.Title>
                  <Alert.Description>{stepServer.message}</Alert.Description>
                </Alert.Content>
                {missingPersona !== null ? (
                  <Button
                    size="sm"
                    variant="outline"
                    bg="white"
                    onClick={() =>
                      setForm((f) => ({
                        ...f,
                        personaIds: f.personaIds.filter((_, i) => i !== missingPersona),
                      }))
                    }
                    data-testid="drop-missing-persona"
                  >
                    {t('builder.panel.dropMissing')}
                  </Button>
                ) : null}
              </Alert.Root>
            )}
          </Box>
        ) : null}
        <ErrorsContext.Provider value={errorsValue}>
          {step === 'basics' ? <StepBasics form={form} setForm={setForm} /> : null}
          {step === 'stimuli' ? <StepStimuli form={form} setForm={setForm} /> : null}
          {step === 'questions' ? <StepQuestions form={form} setForm={setForm} /> : null}
          {step === 'panel' ? <StepPanel form={form} setForm={setForm} /> : null}
          {step === 'parameters' ? <StepParameters form={form} setForm={setForm} /> : null}
          {step === 'criteria' ? (
            <CriteriaEditor
              criteria={form.criteria}
              env={criteriaEnv(form)}
              issues={issuesOf(issues, 'criteria')}
              serverIssue={liveServer}
              onChange={(criteria) => setForm((f) => ({ ...f, criteria }))}
            />
          ) : null}
          {step === 'review' ? (
            <StepReview
              form={form}
              issues={issues}
              onEdit={go}
              saved={!!saved}
              dirty={dirty}
              saving={save.isPending}
              onSave={() => void doSave()}
              saveError={save.error}
              estimate={estimate.data}
              estimating={estimate.isPending}
              estimateError={estimate.error}
              onEstimate={() => saved && doEstimate(saved.id)}
              onRun={doRun}
              running={run.isPending}
              runNotice={run.error ? <ActionError error={run.error} onRetry={doRun} /> : null}
              onOpen={() => saved && navigate(`/tests/${saved.id}`)}
              locked={locked}
            />
          ) : null}
        </ErrorsContext.Provider>
        <Flex mt="24px" gap="10px" justify="space-between" wrap="wrap">
          <Button
            variant="outline"
            onClick={() =>
              stepIndex > 0
                ? go(STEPS[stepIndex - 1] ?? 'basics')
                : navigate(test ? `/tests/${test.id}` : '/tests')
            }
            data-testid="wizard-back"
          >
            <ChevronLeftIcon boxSize="16px" />
            {stepIndex > 0 ? t('builder.back') : t('builder.cancel')}
          </Button>
          {step !== 'review' ? (
            <Button colorPalette="teal" onClick={next} disabled={noType} data-testid="wizard-next">
              {t('builder.next', { step: t(`builder.steps.${STEPS[stepIndex + 1] ?? 'review'}`) })}
              <ChevronRightIcon boxSize="16px" />
            </Button>
          ) : null}
        </Flex>
      </Card>
    </Stack>
  );
}

export default function TestBuilder() {
  const { testId } = useParams();
  const q = useTest(testId);
  const [blank] = useState(emptyForm);
  // an edited test's form is made from the test as loaded (Builder reads it once)
  const data = q.data;
  const loaded = useMemo(() => (data ? formFromTest(data) : null), [data]);
  if (!testId) return <Builder initial={blank} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!loaded || !data)
    return (
      <Stack gap="20px" aria-busy="true">
        <Card>
          <Skeleton h="32px" />
        </Card>
        <Card>
          <Stack gap="12px">
            <Skeleton h="24px" w="40%" />
            <Skeleton h="80px" />
            <Skeleton h="80px" />
          </Stack>
        </Card>
      </Stack>
    );
  return <Builder key={testId} initial={loaded} test={data} />;
}
