/*
 * The success criteria: each one written with guided fields (a statistic of
 * a rating, a share of an answer, the winning variant) or as an expression
 * of the API's criteria language, and checked as it is typed - the mistake
 * is shown on the criterion itself, with the field or the column at fault.
 */
import {
  Box,
  Button,
  Code,
  Field,
  Flex,
  Input,
  InputGroup,
  NativeSelect,
  SegmentGroup,
  Stack,
  Text,
} from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PlusIcon, TrashIcon } from '../../../components/Icons';
import {
  CRITERIA_MAX,
  defaultGuided,
  guidedFromText,
  guidedText,
  OPS,
  STAT_CHOICES,
  type CriteriaEnv,
  type Guided,
  type Op,
  type StatFn,
} from './criteria';
import { fieldId } from './errorsContext';
import { SmallIconButton } from './fields';
import { newKey, type CriterionForm } from './form';
import { issueText, type Issue } from './validate';

function Select({
  label,
  value,
  onValue,
  children,
  invalid,
  testId,
  id,
}: {
  label: string;
  value: string;
  onValue: (v: string) => void;
  children: ReactNode;
  invalid?: boolean;
  testId?: string;
  id?: string;
}) {
  return (
    <Field.Root invalid={invalid} flex="1" minW="140px">
      <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
        {label}
      </Field.Label>
      <NativeSelect.Root size="sm">
        <NativeSelect.Field
          id={id}
          value={value}
          onChange={(e) => onValue(e.target.value)}
          borderRadius="10px"
          bg="white"
          data-testid={testId}
        >
          {children}
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
    </Field.Root>
  );
}

function OpOptions({ only }: { only?: readonly Op[] }) {
  const { t } = useTranslation();
  return (
    <>
      {(only ?? OPS).map((op) => (
        <option key={op} value={op}>
          {t(`builder.criteria.ops.${opKey(op)}`)}
        </option>
      ))}
    </>
  );
}

const OP_KEYS: Record<Op, string> = {
  '>=': 'ge',
  '<=': 'le',
  '>': 'gt',
  '<': 'lt',
  '==': 'eq',
  '!=': 'ne',
};
const opKey = (op: Op) => OP_KEYS[op];

function GuidedFields({
  g,
  env,
  onChange,
  issue,
  index,
}: {
  g: Guided;
  env: CriteriaEnv;
  onChange: (g: Guided) => void;
  issue: Issue | undefined;
  index: number;
}) {
  const { t } = useTranslation();
  const bad = (field: string) => issue?.field === field;
  const questions = env.questions;
  const missing = (id: string) =>
    id && !questions.some((q) => q.id === id) ? (
      <option value={id}>{t('builder.criteria.missingOption', { id })}</option>
    ) : null;
  const base = `c${index}`;

  const typeSelect = (
    <Select
      label={t('builder.criteria.kind')}
      value={g.type}
      testId="criterion-kind"
      onValue={(type) => {
        if (type === g.type) return;
        if (type === 'winner') onChange({ type: 'winner', variant: env.variants[0] ?? '' });
        else if (type === 'stat') {
          const r = questions.find((q) => q.kind === 'rating');
          onChange({ type: 'stat', fn: 'mean', question: r?.id ?? '', op: '>=', value: '' });
        } else {
          const d = defaultGuided({ ...env, variants: [] });
          onChange(
            d.type === 'share'
              ? d
              : {
                  type: 'share',
                  question: d.type === 'stat' ? d.question : '',
                  answerOp: '>=',
                  answer: '',
                  op: '>=',
                  percent: '50',
                },
          );
        }
      }}
    >
      <option value="stat">{t('builder.criteria.kinds.stat')}</option>
      <option value="share">{t('builder.criteria.kinds.share')}</option>
      <option value="winner" disabled={env.variants.length === 0}>
        {t('builder.criteria.kinds.winner')}
      </option>
    </Select>
  );

  if (g.type === 'winner')
    return (
      <Flex gap="10px" wrap="wrap" align="flex-end">
        {typeSelect}
        <Select
          id={`${base}-variant`}
          label={t('builder.criteria.variant')}
          value={g.variant}
          onValue={(variant) => onChange({ ...g, variant })}
          invalid={bad('variant')}
          testId="criterion-variant"
        >
          <option value="">{t('builder.criteria.pick')}</option>
          {missing(g.variant)}
          {env.variants.map((v) => (
            <option key={v} value={v}>
              {t('builder.criteria.variantOption', { id: v })}
            </option>
          ))}
        </Select>
      </Flex>
    );

  if (g.type === 'stat') {
    const ratings = questions.filter((q) => q.kind === 'rating');
    const q = questions.find((x) => x.id === g.question);
    return (
      <Flex gap="10px" wrap="wrap" align="flex-end">
        {typeSelect}
        <Select
          label={t('builder.criteria.fn')}
          value={g.fn}
          onValue={(fn) => onChange({ ...g, fn: fn as StatFn })}
          testId="criterion-fn"
        >
          {STAT_CHOICES.map((fn) => (
            <option key={fn} value={fn}>
              {t(`builder.criteria.fns.${fn}`)}
            </option>
          ))}
        </Select>
        <Select
          id={`${base}-question`}
          label={t('builder.criteria.ratingQuestion')}
          value={g.question}
          onValue={(question) => onChange({ ...g, question })}
          invalid={bad('question')}
          testId="criterion-question"
        >
          <option value="">{t('builder.criteria.pick')}</option>
          {missing(g.question)}
          {ratings.map((r) => (
            <option key={r.id} value={r.id}>
              {r.scale
                ? t('builder.criteria.ratingOption', {
                    id: r.id,
                    min: r.scale.min,
                    max: r.scale.max,
                  })
                : r.id}
            </option>
          ))}
          {q && q.kind !== 'rating' ? <option value={q.id}>{q.id}</option> : null}
        </Select>
        <Select
          label={t('builder.criteria.op')}
          value={g.op}
          onValue={(op) => onChange({ ...g, op: op as Op })}
          testId="criterion-op"
        >
          <OpOptions />
        </Select>
        <Field.Root invalid={bad('value')} w="110px">
          <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
            {t('builder.criteria.value')}
          </Field.Label>
          <Input
            id={`${base}-value`}
            size="sm"
            borderRadius="10px"
            bg="white"
            inputMode="decimal"
            value={g.value}
            onChange={(e) => onChange({ ...g, value: e.target.value })}
            data-testid="criterion-value"
          />
        </Field.Root>
      </Flex>
    );
  }

  const q = questions.find((x) => x.id === g.question);
  const rating = q?.kind === 'rating';
  return (
    <Flex gap="10px" wrap="wrap" align="flex-end">
      {typeSelect}
      <Select
        id={`${base}-question`}
        label={t('builder.criteria.question')}
        value={g.question}
        onValue={(question) => {
          const nq = questions.find((x) => x.id === question);
          const answer =
            nq?.kind === 'yes_no'
              ? 'yes'
              : nq?.kind === 'choice' || nq?.kind === 'ranking'
                ? (nq.options?.[0] ?? '')
                : '';
          onChange({ ...g, question, answer, answerOp: nq?.kind === 'rating' ? '>=' : '==' });
        }}
        invalid={bad('question')}
        testId="criterion-question"
      >
        <option value="">{t('builder.criteria.pick')}</option>
        {missing(g.question)}
        {questions.map((x) => (
          <option key={x.id} value={x.id}>
            {t('builder.criteria.questionOption', { id: x.id, kind: t(`builder.kinds.${x.kind}`) })}
          </option>
        ))}
      </Select>
      <Select
        label={t('builder.criteria.answerOp')}
        value={g.answerOp}
        onValue={(answerOp) => onChange({ ...g, answerOp: answerOp as Op })}
        invalid={bad('answer') && !!q && !rating && g.answerOp !== '==' && g.answerOp !== '!='}
      >
        <OpOptions only={rating || !q ? OPS : (['==', '!='] as const)} />
      </Select>
      {q?.kind === 'yes_no' || q?.kind === 'choice' || q?.kind === 'ranking' ? (
        <Select
          id={`${base}-answer`}
          label={t('builder.criteria.answer')}
          value={g.answer}
          onValue={(answer) => onChange({ ...g, answer })}
          invalid={bad('answer')}
          testId="criterion-answer"
        >
          <option value="">{t('builder.criteria.pick')}</option>
          {(q.kind === 'yes_no' ? ['yes', 'no'] : (q.options ?? [])).map((o) => (
            <option key={o} value={o}>
              {q.kind === 'yes_no' ? t(`builder.criteria.${o}`) : o}
            </option>
          ))}
        </Select>
      ) : (
        <Field.Root invalid={bad('answer')} flex="1" minW="100px">
          <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
            {t('builder.criteria.answer')}
          </Field.Label>
          <Input
            id={`${base}-answer`}
            size="sm"
            borderRadius="10px"
            bg="white"
            inputMode={rating ? 'decimal' : 'text'}
            value={g.answer}
            onChange={(e) => onChange({ ...g, answer: e.target.value })}
            data-testid="criterion-answer"
          />
        </Field.Root>
      )}
      <Select
        label={t('builder.criteria.shareOp')}
        value={g.op}
        onValue={(op) => onChange({ ...g, op: op as Op })}
      >
        <OpOptions />
      </Select>
      <Field.Root invalid={bad('percent')} w="120px">
        <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
          {t('builder.criteria.percent')}
        </Field.Label>
        <InputGroup endElement={<Text fontSize="sm">%</Text>}>
          <Input
            id={`${base}-percent`}
            size="sm"
            borderRadius="10px"
            bg="white"
            inputMode="decimal"
            value={g.percent}
            onChange={(e) => onChange({ ...g, percent: e.target.value })}
            data-testid="criterion-percent"
          />
        </InputGroup>
      </Field.Root>
    </Flex>
  );
}

export function CriteriaEditor({
  criteria,
  env,
  issues,
  serverIssue,
  onChange,
}: {
  criteria: CriterionForm[];
  env: CriteriaEnv;
  /** the criteria's issues by API path (config.success_criteria[i]) */
  issues: Record<string, Issue>;
  /** the API's refusal of one criterion, by its path */
  serverIssue?: { path: string; message: string } | null;
  onChange: (next: CriterionForm[]) => void;
}) {
  const { t } = useTranslation();
  const set = (i: number, c: Partial<CriterionForm>) =>
    onChange(criteria.map((x, j) => (j === i ? { ...x, ...c } : x)));
  const add = () =>
    onChange([
      ...criteria,
      { key: newKey(), mode: 'guided', guided: defaultGuided(env), text: '' },
    ]);
  return (
    <Stack gap="14px">
      <Text fontSize="sm" color="fg.muted">
        {t('builder.criteria.intro')}
      </Text>
      {criteria.length === 0 ? (
        <Box bg="gray.50" borderRadius="12px" p="14px" fontSize="sm" color="gray.700">
          {t('builder.criteria.none')}
        </Box>
      ) : null}
      {criteria.map((c, i) => {
        const path = `config.success_criteria[${i}]`;
        const issue = issues[path];
        const server = serverIssue && serverIssue.path === path ? serverIssue.message : null;
        const message = issue ? issueText(issue, t) : server;
        const text = c.mode === 'guided' ? guidedText(c.guided, env) : c.text;
        const parsed = guidedFromText(c.text);
        return (
          <Box
            key={c.key}
            borderWidth="1px"
            borderColor={message ? 'red.300' : 'gray.200'}
            borderRadius="12px"
            p="12px"
            data-testid="criterion"
            data-invalid={message ? 'true' : undefined}
          >
            <Flex align="center" gap="8px" mb="10px" wrap="wrap">
              <Text fontSize="sm" fontWeight="bold" color="gray.700" flex="1">
                {t('builder.criteria.n', { n: i + 1 })}
              </Text>
              <SegmentGroup.Root
                size="xs"
                value={c.mode}
                onValueChange={(e) => {
                  if (e.value === 'text' && c.mode === 'guided')
                    set(i, { mode: 'text', text: guidedText(c.guided, env) });
                  else if (e.value === 'guided' && c.mode === 'text' && parsed)
                    set(i, { mode: 'guided', guided: parsed });
                }}
                aria-label={t('builder.criteria.mode')}
              >
                <SegmentGroup.Indicator />
                <SegmentGroup.Item
                  value="guided"
                  disabled={c.mode === 'text' && !parsed && c.text.trim() !== ''}
                >
                  <SegmentGroup.ItemText>{t('builder.criteria.guided')}</SegmentGroup.ItemText>
                  <SegmentGroup.ItemHiddenInput />
                </SegmentGroup.Item>
                <SegmentGroup.Item value="text">
                  <SegmentGroup.ItemText>{t('builder.criteria.expression')}</SegmentGroup.ItemText>
                  <SegmentGroup.ItemHiddenInput />
                </SegmentGroup.Item>
              </SegmentGroup.Root>
              <SmallIconButton
                label={t('builder.criteria.remove', { n: i + 1 })}
                onClick={() => onChange(criteria.filter((_, j) => j !== i))}
              >
                <TrashIcon boxSize="16px" />
              </SmallIconButton>
            </Flex>
            {c.mode === 'guided' ? (
              <>
                <GuidedFields
                  g={c.guided}
                  env={env}
                  index={i}
                  issue={issue}
                  onChange={(guided) => set(i, { guided })}
                />
                <Text fontSize="xs" color="fg.muted" mt="8px">
                  {t('builder.criteria.reads')}{' '}
                  <Code fontSize="xs" data-testid="criterion-text">
                    {text}
                  </Code>
                </Text>
              </>
            ) : (
              <Field.Root invalid={!!message}>
                <Field.Label srOnly>
                  {t('builder.criteria.expressionLabel', { n: i + 1 })}
                </Field.Label>
                <Input
                  id={fieldId(path)}
                  fontFamily="mono"
                  fontSize="sm"
                  borderRadius="10px"
                  bg="white"
                  value={c.text}
                  placeholder='mean(appeal) >= 7 and share(buy == "yes") >= 0.4'
                  onChange={(e) => set(i, { text: e.target.value })}
                  data-testid="criterion-expression"
                  spellCheck={false}
                  autoComplete="off"
                />
                {!message ? (
                  <Field.HelperText color="fg.muted">
                    {t('builder.criteria.syntax')}
                  </Field.HelperText>
                ) : null}
              </Field.Root>
            )}
            {message ? (
              <Text
                role="alert"
                color="red.600"
                fontSize="sm"
                mt="6px"
                data-testid="criterion-error"
              >
                {message}
              </Text>
            ) : null}
          </Box>
        );
      })}
      <Box>
        <Button
          size="sm"
          variant="outline"
          onClick={add}
          disabled={criteria.length >= CRITERIA_MAX}
          data-testid="add-criterion"
        >
          <PlusIcon boxSize="14px" />
          {t('builder.criteria.add')}
        </Button>
      </Box>
    </Stack>
  );
}
