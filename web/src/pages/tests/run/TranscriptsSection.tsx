/*
 * One persona at a time: who they are, their answers to every scenario,
 * variant or step (each question with its answer), what they said and
 * thought, where they gave up and why; in a focus group, their part of the
 * discussion.
 */
import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  IconButton,
  NativeSelect,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@chakra-ui/react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  usePersonaBriefs,
  useResults,
  RESULTS_PAGE_MAX,
  type PersonaBrief,
  type Report,
  type RunResult,
} from '../../../api/runs';
import type { Test } from '../../../api/tests';
import { Card, CardHeader } from '../../../components/Card';
import { ErrorState } from '../../../components/ErrorState';
import { ChevronLeftIcon, ChevronRightIcon } from '../../../components/Icons';
import { PersonaAvatar } from '../../../components/PersonaAvatar';
import { answerText, personasOf, personaUnits, scenarioOrder } from './chartData';
import { SENTIMENT_PALETTE } from './labels';
import { DiscussionLines } from './ThemesSection';

/** result rows read to list the personas (one page; more on request) */
const LIST_PAGE = 500;

function personaName(
  t: (k: string, o?: Record<string, unknown>) => string,
  b: PersonaBrief | undefined,
  i: number,
  known: boolean,
) {
  if (b) return b.name;
  // "deleted since" only once the names are in and this one is not among them
  return t(known ? 'results.transcripts.unnamed' : 'results.transcripts.numbered', { n: i + 1 });
}

function SampleBlock({
  row,
  prompts,
  showSample,
}: {
  row: RunResult;
  prompts: (id: string) => string;
  showSample: boolean;
}) {
  const { t } = useTranslation();
  const answers = Object.entries(row.answers ?? {});
  return (
    <Box>
      {showSample ? (
        <Text fontSize="xs" fontWeight="bold" color="fg.muted" mb="4px">
          {t('results.transcripts.sample', { n: row.sample + 1 })}
        </Text>
      ) : null}
      {answers.length ? (
        <Table.Root size="sm" variant="line" mb="8px">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader color="fg.muted" w="50%">
                {t('results.transcripts.question')}
              </Table.ColumnHeader>
              <Table.ColumnHeader color="fg.muted">
                {t('results.transcripts.answer')}
              </Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {answers.map(([id, v]) => (
              <Table.Row key={id} data-testid="transcript-answer">
                <Table.Cell color="gray.700" verticalAlign="top">
                  {prompts(id)}
                </Table.Cell>
                <Table.Cell
                  color="gray.700"
                  fontWeight={typeof v === 'string' && v.length > 40 ? 'normal' : 'bold'}
                >
                  {v === 'yes' || v === 'no' ? t(`results.questions.yesNo.${v}`) : answerText(v)}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      ) : null}
      {row.talk ? (
        <Box mb="6px">
          <Text fontSize="xs" fontWeight="bold" color="fg.muted">
            {t('results.transcripts.said')}
          </Text>
          <Text fontSize="sm" color="gray.700" data-testid="transcript-talk">
            “{row.talk}”
          </Text>
        </Box>
      ) : null}
      {row.thought ? (
        <Box mb="6px">
          <Text fontSize="xs" fontWeight="bold" color="fg.muted">
            {t('results.transcripts.thought')}
          </Text>
          <Text fontSize="sm" color="fg.muted" fontStyle="italic">
            {row.thought}
          </Text>
        </Box>
      ) : null}
      <Flex gap="6px" wrap="wrap">
        {row.abandoned ? (
          <Badge colorPalette="orange" variant="subtle" borderRadius="badge" textTransform="none">
            {row.reason
              ? t('results.transcripts.abandonedWhy', { reason: row.reason })
              : t('results.transcripts.abandoned')}
          </Badge>
        ) : null}
        {row.error ? (
          <Badge
            colorPalette="red"
            variant="subtle"
            borderRadius="badge"
            textTransform="none"
            whiteSpace="normal"
          >
            {t('results.transcripts.error', { error: row.error })}
          </Badge>
        ) : null}
        {row.theme ? (
          <Badge
            colorPalette={row.sentiment ? SENTIMENT_PALETTE[row.sentiment] : 'gray'}
            variant="subtle"
            borderRadius="badge"
            textTransform="none"
            whiteSpace="normal"
          >
            {t('results.transcripts.theme', { theme: row.theme })}
          </Badge>
        ) : null}
      </Flex>
    </Box>
  );
}

export function TranscriptsSection({
  testId,
  runId,
  report,
  test,
  scopeLabel,
}: {
  testId: string;
  runId: string;
  report: Report;
  test: Test | undefined;
  scopeLabel: (key: string) => string;
}) {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const list = useResults(testId, runId, { limit: LIST_PAGE, offset });
  const rows = useMemo(() => list.data?.results ?? [], [list.data]);
  const ids = useMemo(() => personasOf(rows), [rows]);
  const briefs = usePersonaBriefs(ids);
  const sorted = useMemo(
    () =>
      ids
        .map((id, i) => ({ id, name: personaName(t, briefs.data?.[id], i, briefs.isSuccess) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [ids, briefs.data, briefs.isSuccess, t],
  );
  const [picked, setPicked] = useState<string | null>(null);
  const selected = picked && ids.includes(picked) ? picked : (sorted[0]?.id ?? null);
  const complete = !!list.data && list.data.offset === 0 && list.data.total <= rows.length;
  const own = useResults(
    testId,
    runId,
    { persona_id: selected ?? '', limit: RESULTS_PAGE_MAX },
    !!selected && !complete,
  );
  const personaRows = complete
    ? rows.filter((r) => r.persona_id === selected)
    : (own.data?.results ?? []).filter((r) => r.persona_id === selected);

  const prompts = useMemo(() => {
    const m = new Map<string, string>();
    for (const q of report.questions ?? []) m.set(q.id, q.prompt);
    for (const sc of test?.config.scenarios ?? [])
      for (const q of sc.questions ?? []) if (!m.has(q.id)) m.set(q.id, q.prompt);
    return (id: string) => m.get(id) ?? id;
  }, [report.questions, test]);
  const units = personaUnits(personaRows, scenarioOrder(report));
  const brief = selected ? briefs.data?.[selected] : undefined;
  const index = sorted.findIndex((p) => p.id === selected);
  const name = selected ? (sorted[index]?.name ?? '') : '';
  const lines = (report.transcript ?? []).filter((l) => brief && l.speaker === brief.name);
  const total = list.data?.total ?? 0;

  const header = (
    <CardHeader
      title={t('results.transcripts.title')}
      subtitle={t('results.transcripts.subtitle', { count: ids.length })}
    />
  );
  if (list.isPending)
    return (
      <Card data-testid="transcripts">
        {header}
        <Skeleton h="160px" />
      </Card>
    );
  if (list.isError)
    return (
      <Card data-testid="transcripts">
        {header}
        <ErrorState error={list.error} onRetry={() => void list.refetch()} compact />
      </Card>
    );
  if (ids.length === 0)
    return (
      <Card data-testid="transcripts">
        {header}
        <Text color="fg.muted">{t('results.transcripts.none')}</Text>
      </Card>
    );

  return (
    <Card data-testid="transcripts">
      {header}
      <Flex gap="8px" align="flex-end" wrap="wrap" mb="16px">
        <Field.Root flex="1" minW="200px" maxW="420px">
          <Field.Label fontSize="xs" color="fg.muted" fontWeight="bold">
            {t('results.transcripts.persona')}
          </Field.Label>
          <NativeSelect.Root size="sm">
            <NativeSelect.Field
              value={selected ?? ''}
              onChange={(e) => setPicked(e.currentTarget.value)}
              data-testid="persona-select"
            >
              {sorted.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </Field.Root>
        <IconButton
          size="sm"
          variant="outline"
          aria-label={t('results.transcripts.previous')}
          disabled={index <= 0}
          onClick={() => setPicked(sorted[index - 1]?.id ?? null)}
        >
          <ChevronLeftIcon />
        </IconButton>
        <IconButton
          size="sm"
          variant="outline"
          aria-label={t('results.transcripts.next')}
          disabled={index < 0 || index >= sorted.length - 1}
          onClick={() => setPicked(sorted[index + 1]?.id ?? null)}
          data-testid="persona-next"
        >
          <ChevronRightIcon />
        </IconButton>
        {total > LIST_PAGE ? (
          <Flex gap="8px" align="center">
            <Button
              size="sm"
              variant="ghost"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - LIST_PAGE))}
            >
              {t('results.transcripts.earlier')}
            </Button>
            <Button
              size="sm"
              variant="ghost"
              disabled={offset + LIST_PAGE >= total}
              onClick={() => setOffset(offset + LIST_PAGE)}
            >
              {t('results.transcripts.more')}
            </Button>
          </Flex>
        ) : null}
      </Flex>

      {selected ? (
        <Stack gap="16px" data-testid="transcript" data-persona={selected}>
          <Flex gap="12px" align="center">
            <PersonaAvatar name={name} size="44px" />
            <Box>
              <Text fontWeight="bold" color="gray.700" data-testid="transcript-name">
                {name}
              </Text>
              <Text fontSize="sm" color="fg.muted">
                {[
                  brief?.age ? t('personas.card.age', { age: brief.age }) : null,
                  brief?.occupation,
                  brief?.location,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </Box>
          </Flex>
          {!complete && own.isPending ? <Skeleton h="120px" /> : null}
          {!complete && own.isError ? (
            <ErrorState error={own.error} onRetry={() => void own.refetch()} compact />
          ) : null}
          {units.map((u) => (
            <Box
              key={u.key}
              p="14px"
              borderRadius="12px"
              bg="gray.50"
              data-testid="transcript-unit"
            >
              <Text as="h3" fontWeight="bold" color="gray.700" mb="8px">
                {scopeLabel(u.key)}
              </Text>
              <Stack gap="12px">
                {u.samples.map((row) => (
                  <SampleBlock
                    key={row.sample}
                    row={row}
                    prompts={prompts}
                    showSample={u.samples.length > 1}
                  />
                ))}
              </Stack>
            </Box>
          ))}
          {lines.length ? (
            <Box>
              <Text as="h3" fontWeight="bold" color="gray.700" mb="8px">
                {t('results.transcripts.inDiscussion', { count: lines.length })}
              </Text>
              <DiscussionLines lines={lines} highlight={brief?.name} />
            </Box>
          ) : null}
        </Stack>
      ) : null}
    </Card>
  );
}
