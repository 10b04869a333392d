import { Badge, Box, Button, Flex, Heading, SimpleGrid, Stack, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import type { QuestionKind } from '../../../api/tests';
import {
  ChevronDownIcon,
  ChevronUpIcon,
  CopyIcon,
  PlusIcon,
  TrashIcon,
} from '../../../components/Icons';
import { PathError, SelectField, SmallIconButton, TextAreaField, TextField } from './fields';
import {
  newKey,
  newQuestion,
  nextId,
  QUESTION_KINDS,
  typeRules,
  type BuilderForm,
  type QuestionForm,
  type ScenarioForm,
} from './form';

type SetForm = (f: (prev: BuilderForm) => BuilderForm) => void;

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const out = [...list];
  const [x] = out.splice(from, 1);
  if (x !== undefined) out.splice(to, 0, x);
  return out;
}

/** A copy of a question with new keys (for copying between scenarios). */
function cloneQuestion(q: QuestionForm): QuestionForm {
  return { ...q, key: newKey(), options: q.options.map((o) => ({ ...o, key: newKey() })) };
}

function QuestionEditor({
  q,
  path,
  index,
  count,
  update,
  remove,
  moveBy,
}: {
  q: QuestionForm;
  path: string;
  index: number;
  count: number;
  update: (fn: (prev: QuestionForm) => QuestionForm) => void;
  remove: () => void;
  moveBy: (d: number) => void;
}) {
  const { t } = useTranslation();
  const setKind = (kind: QuestionKind) =>
    update((x) => ({
      ...x,
      kind,
      options:
        (kind === 'choice' || kind === 'ranking') && x.options.length < 2
          ? [
              ...x.options,
              ...Array.from({ length: 2 - x.options.length }, () => ({ key: newKey(), text: '' })),
            ]
          : x.options,
    }));
  return (
    <Box
      borderWidth="1px"
      borderColor="gray.100"
      borderRadius="12px"
      p="12px"
      data-testid="question"
      data-kind={q.kind}
    >
      <Flex align="center" gap="6px" mb="8px">
        <Text fontSize="sm" fontWeight="bold" color="gray.700" flex="1">
          {t('builder.questions.questionN', { n: index + 1 })}
          <Badge ms="8px" variant="subtle" colorPalette="gray" borderRadius="badge">
            {t(`builder.kinds.${q.kind}`)}
          </Badge>
        </Text>
        <SmallIconButton
          label={t('builder.questions.moveUp')}
          onClick={() => moveBy(-1)}
          disabled={index === 0}
        >
          <ChevronUpIcon boxSize="16px" />
        </SmallIconButton>
        <SmallIconButton
          label={t('builder.questions.moveDown')}
          onClick={() => moveBy(1)}
          disabled={index === count - 1}
        >
          <ChevronDownIcon boxSize="16px" />
        </SmallIconButton>
        <SmallIconButton label={t('builder.questions.remove', { n: index + 1 })} onClick={remove}>
          <TrashIcon boxSize="16px" />
        </SmallIconButton>
      </Flex>
      <Stack gap="12px">
        <TextAreaField
          path={`${path}.prompt`}
          label={t('builder.questions.prompt')}
          value={q.prompt}
          onValue={(prompt) => update((x) => ({ ...x, prompt }))}
          required
          minH="44px"
          rows={1}
          data-testid="question-prompt"
        />
        <SimpleGrid columns={{ base: 1, sm: 2 }} gap="12px">
          <SelectField
            path={`${path}.kind`}
            label={t('builder.questions.kind')}
            value={q.kind}
            onValue={(k) => setKind(k as QuestionKind)}
            testId="question-kind"
          >
            {QUESTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`builder.kinds.${k}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            path={`${path}.id`}
            label={t('builder.questions.id')}
            helper={t('builder.questions.idHelp')}
            value={q.id}
            onValue={(id) => update((x) => ({ ...x, id }))}
            required
            maxLength={64}
            data-testid="question-id"
            fontFamily="mono"
          />
        </SimpleGrid>
        {q.kind === 'rating' ? (
          <Box>
            <SimpleGrid columns={2} gap="12px" maxW="320px">
              <TextField
                path={`${path}.scale.min`}
                label={t('builder.questions.scaleMin')}
                value={q.scaleMin}
                onValue={(scaleMin) => update((x) => ({ ...x, scaleMin }))}
                inputMode="numeric"
                required
                data-testid="scale-min"
              />
              <TextField
                path={`${path}.scale.max`}
                label={t('builder.questions.scaleMax')}
                value={q.scaleMax}
                onValue={(scaleMax) => update((x) => ({ ...x, scaleMax }))}
                inputMode="numeric"
                required
                data-testid="scale-max"
              />
            </SimpleGrid>
            <PathError path={`${path}.scale`} />
          </Box>
        ) : null}
        {q.kind === 'choice' || q.kind === 'ranking' ? (
          <Box>
            <Text fontSize="sm" color="gray.700" mb="6px">
              {t(
                q.kind === 'ranking'
                  ? 'builder.questions.optionsRanking'
                  : 'builder.questions.options',
              )}
            </Text>
            <Stack gap="8px">
              {q.options.map((o, oi) => (
                <Flex key={o.key} gap="6px" align="flex-start">
                  <Box flex="1">
                    <TextField
                      path={`${path}.options[${oi}]`}
                      label={t('builder.questions.optionN', { n: oi + 1 })}
                      value={o.text}
                      onValue={(text) =>
                        update((x) => ({
                          ...x,
                          options: x.options.map((y, i) => (i === oi ? { ...y, text } : y)),
                        }))
                      }
                      maxLength={200}
                      data-testid="option"
                    />
                  </Box>
                  <Box pt="26px">
                    <SmallIconButton
                      label={t('builder.questions.removeOption', { n: oi + 1 })}
                      onClick={() =>
                        update((x) => ({ ...x, options: x.options.filter((_, i) => i !== oi) }))
                      }
                      disabled={q.options.length <= 2}
                    >
                      <TrashIcon boxSize="16px" />
                    </SmallIconButton>
                  </Box>
                </Flex>
              ))}
            </Stack>
            <PathError path={`${path}.options`} />
            <Button
              mt="8px"
              size="xs"
              variant="outline"
              onClick={() =>
                update((x) => ({ ...x, options: [...x.options, { key: newKey(), text: '' }] }))
              }
              disabled={q.options.length >= 20}
              data-testid="add-option"
            >
              <PlusIcon boxSize="12px" />
              {t('builder.questions.addOption')}
            </Button>
          </Box>
        ) : null}
        {q.kind === 'yes_no' || q.kind === 'text' ? (
          <Text fontSize="xs" color="fg.muted">
            {t(`builder.questions.hint_${q.kind}`)}
          </Text>
        ) : null}
      </Stack>
    </Box>
  );
}

function ScenarioQuestions({
  scenario,
  si,
  form,
  setForm,
}: {
  scenario: ScenarioForm;
  si: number;
  form: BuilderForm;
  setForm: SetForm;
}) {
  const { t } = useTranslation();
  const rules = typeRules(form.type);
  const qp = `config.scenarios[${si}].questions`;
  const updateQuestions = (fn: (qs: QuestionForm[]) => QuestionForm[]) =>
    setForm((f) => ({
      ...f,
      scenarios: f.scenarios.map((s, i) => (i === si ? { ...s, questions: fn(s.questions) } : s)),
    }));
  const add = (kind: QuestionKind) =>
    updateQuestions((qs) => [
      ...qs,
      newQuestion(
        kind,
        nextId(
          'q',
          qs.map((q) => q.id.trim()),
        ),
      ),
    ]);
  const copyToOthers = () =>
    setForm((f) => ({
      ...f,
      scenarios: f.scenarios.map((s, i) => {
        if (i === si) return s;
        const have = s.questions.map((q) => q.id.trim());
        return {
          ...s,
          questions: [
            ...s.questions,
            ...scenario.questions.filter((q) => !have.includes(q.id.trim())).map(cloneQuestion),
          ],
        };
      }),
    }));
  const unit = rules.steps ? 'step' : 'scenario';
  return (
    <Box data-testid="scenario-questions">
      {form.scenarios.length > 1 ? (
        <Flex align="center" gap="8px" mb="10px">
          <Badge colorPalette="teal" variant="subtle" borderRadius="badge">
            {t(`builder.stimuli.${unit}N`, { n: si + 1 })}
          </Badge>
          <Heading as="h3" fontSize="md" color="gray.700" truncate>
            {scenario.title.trim() || scenario.id}
          </Heading>
        </Flex>
      ) : null}
      <Stack gap="12px">
        {scenario.questions.length === 0 ? (
          <Text fontSize="sm" color="fg.muted">
            {rules.questionsRequired
              ? t('builder.questions.noneRequired')
              : t(`builder.questions.noneOptional_${form.type || 'journey'}`)}
          </Text>
        ) : null}
        {scenario.questions.map((q, qi) => (
          <QuestionEditor
            key={q.key}
            q={q}
            path={`${qp}[${qi}]`}
            index={qi}
            count={scenario.questions.length}
            update={(fn) => updateQuestions((qs) => qs.map((x, i) => (i === qi ? fn(x) : x)))}
            remove={() => updateQuestions((qs) => qs.filter((_, i) => i !== qi))}
            moveBy={(d) => updateQuestions((qs) => move(qs, qi, qi + d))}
          />
        ))}
      </Stack>
      <PathError path={qp} />
      <Flex
        gap="8px"
        mt="12px"
        wrap="wrap"
        align="center"
        role="group"
        aria-label={t('builder.questions.addLabel')}
      >
        <Text fontSize="sm" color="fg.muted" aria-hidden="true">
          {t('builder.questions.addLabel')}:
        </Text>
        {QUESTION_KINDS.map((k) => (
          <Button
            key={k}
            size="sm"
            variant="outline"
            onClick={() => add(k)}
            disabled={scenario.questions.length >= 30}
            data-testid={`add-question-${k}`}
          >
            <PlusIcon boxSize="14px" />
            {t(`builder.kinds.${k}`)}
          </Button>
        ))}
        {form.scenarios.length > 1 && scenario.questions.length > 0 ? (
          <Button size="sm" variant="ghost" onClick={copyToOthers}>
            <CopyIcon boxSize="14px" />
            {t(`builder.questions.copy_${unit}`)}
          </Button>
        ) : null}
      </Flex>
    </Box>
  );
}

function Moderator({ form, setForm }: { form: BuilderForm; setForm: SetForm }) {
  const { t } = useTranslation();
  const setQuestions = (
    fn: (qs: BuilderForm['moderatorQuestions']) => BuilderForm['moderatorQuestions'],
  ) => setForm((f) => ({ ...f, moderatorQuestions: fn(f.moderatorQuestions) }));
  return (
    <Box
      borderWidth="1px"
      borderColor="gray.200"
      borderRadius="card"
      p={{ base: '12px', md: '18px' }}
    >
      <Heading as="h3" fontSize="md" color="gray.700">
        {t('builder.moderator.title')}
      </Heading>
      <Text fontSize="sm" color="fg.muted" mb="12px">
        {t('builder.moderator.help')}
      </Text>
      <Stack gap="10px">
        {form.moderatorQuestions.map((q, i) => (
          <Flex key={q.key} gap="6px" align="flex-start">
            <Box flex="1">
              <TextAreaField
                path={`config.moderator.questions[${i}]`}
                label={t('builder.moderator.questionN', { n: i + 1 })}
                value={q.text}
                onValue={(text) =>
                  setQuestions((qs) => qs.map((x, j) => (j === i ? { ...x, text } : x)))
                }
                minH="44px"
                rows={1}
                required
                data-testid="moderator-question"
              />
            </Box>
            <Box pt="26px">
              <SmallIconButton
                label={t('builder.moderator.remove', { n: i + 1 })}
                onClick={() => setQuestions((qs) => qs.filter((_, j) => j !== i))}
                disabled={form.moderatorQuestions.length <= 1}
              >
                <TrashIcon boxSize="16px" />
              </SmallIconButton>
            </Box>
          </Flex>
        ))}
      </Stack>
      <PathError path="config.moderator.questions" />
      <PathError path="config.moderator" />
      <Flex gap="12px" mt="12px" align="flex-end" wrap="wrap">
        <Button
          size="sm"
          variant="outline"
          onClick={() => setQuestions((qs) => [...qs, { key: newKey(), text: '' }])}
          disabled={form.moderatorQuestions.length >= 30}
        >
          <PlusIcon boxSize="14px" />
          {t('builder.moderator.add')}
        </Button>
        <Box w="160px">
          <TextField
            path="config.moderator.rounds"
            label={t('builder.moderator.rounds')}
            value={form.moderatorRounds}
            onValue={(moderatorRounds) => setForm((f) => ({ ...f, moderatorRounds }))}
            inputMode="numeric"
            required
          />
        </Box>
      </Flex>
    </Box>
  );
}

export function StepQuestions({ form, setForm }: { form: BuilderForm; setForm: SetForm }) {
  const { t } = useTranslation();
  const rules = typeRules(form.type);
  return (
    <Stack gap="24px">
      <Text fontSize="sm" color="fg.muted">
        {t(`builder.questions.intro.${form.type || 'product'}`)}
      </Text>
      {rules.moderator ? <Moderator form={form} setForm={setForm} /> : null}
      {rules.moderator ? (
        <Heading as="h3" fontSize="md" color="gray.700">
          {t('builder.moderator.closing')}
        </Heading>
      ) : null}
      {form.scenarios.map((s, si) => (
        <ScenarioQuestions key={s.key} scenario={s} si={si} form={form} setForm={setForm} />
      ))}
    </Stack>
  );
}
