/*
 * One run of a test (docs/openapi.yaml, tag runs; src/api/runs.c): the run,
 * its report and its per-persona results, pause / resume / cancel, the
 * export as a download, and the names of the personas who answered. The
 * run's live events (SSE) are read by pages/tests/run/sse.ts.
 *
 * Query keys: ['tests', 'run', testId, runId] for the run (the same key the
 * test page's "Run" seeds), ['runs', testId, runId, ...] for what hangs off it.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, errorFromResponse, tokenStore } from './client';
import { api } from './client';
import type { Run, Test } from './tests';
import type { Persona, PersonaPage, PersonaTemplate } from './types';

export type { Run, RunStatus } from './tests';

/* ---- the report (src/report/report.h) ------------------------------------------------------- */

export type QuestionKindName = 'rating' | 'choice' | 'yes_no' | 'ranking' | 'text';
export type Interval = [number, number];

export interface DistributionEntry {
  value: string | number;
  count: number;
  share: number;
  ci?: Interval;
}

/** Every answer to one question: by kind, the figures report.h describes. */
export interface QuestionStat {
  id: string;
  kind: QuestionKindName;
  prompt: string;
  n: number;
  scale?: { min: number; max: number };
  mean?: number;
  ci?: Interval;
  sd?: number;
  median?: number;
  min?: number;
  max?: number;
  top2_box?: { share: number; ci?: Interval };
  distribution?: DistributionEntry[];
  mean_rank?: { value: string; mean: number }[];
  quotes?: string[];
}

export interface ReportSlot {
  key: string;
  variant?: string | null;
  n: number;
  questions: QuestionStat[];
}

export interface ReportScenario {
  id: string;
  title?: string | null;
  variants: string[];
  slots: ReportSlot[];
}

export interface ComparisonVariant {
  id: string;
  n: number;
  mean?: number;
  ci?: Interval;
  share?: number;
}

export interface Comparison {
  scenario: string;
  question: string;
  kind: QuestionKindName;
  variants: ComparisonVariant[];
  /** yes_no and choice: the answer whose share is compared */
  share_of?: string;
  test: 'permutation' | 'chi_square';
  statistic: number;
  df?: number;
  p: number;
  exact?: boolean;
  effect: { name: 'cohens_d' | 'cramers_v'; value: number };
  welch?: { t: number; df: number; p: number };
  mann_whitney?: { u: number; p: number; rank_biserial: number };
  best: string;
  runner_up: string;
  significant: boolean;
  winner?: string | null;
}

export interface SegmentStat {
  id: string;
  n: number;
  mean?: number;
  share?: number;
  ci?: Interval;
}

export interface SegmentGroup {
  value: string;
  n: number;
  too_small: boolean;
  questions: SegmentStat[];
}

export type SegmentDimension = 'age_band' | 'gender' | 'income' | 'country' | 'occupation_group';

export interface Segment {
  dimension: SegmentDimension | string;
  label: string;
  groups: SegmentGroup[];
}

export interface Criterion {
  text: string;
  /** null: undecided */
  passed: boolean | null;
  error?: string | null;
  figures: Record<string, number | string | null>;
}

export interface FunnelStep {
  id: string;
  title?: string | null;
  reached: number;
  continued: number;
  abandoned: number;
  failed: number;
  drop_off: number;
  reasons: { text: string; count: number }[];
}

export interface Theme {
  name: string;
  count: number;
  quotes: string[];
  answers?: { persona_id: string; scenario: string; sample: number }[];
}

export interface TranscriptLine {
  speaker: string;
  text: string;
  scenario: string;
  round: number;
}

export interface Insights {
  summary?: string;
  highlights?: string[];
  model?: string | null;
  /** why there is no summary */
  dropped?: string;
}

export interface Report {
  test: { id?: string; name: string; type: string };
  run: {
    id?: string;
    status?: string;
    model?: string | null;
    offline: boolean;
    seed: number;
    calls: number;
    cache_hits: number;
    tokens_in: number;
    tokens_out: number;
    cost_usd: number;
    duration_s?: number | null;
    started_at?: string | null;
    finished_at?: string | null;
  };
  respondents: number;
  units: { total: number; failed: number; abandoned: number };
  questions: QuestionStat[];
  scenarios: ReportScenario[];
  comparisons: Comparison[];
  /** absent when there is nothing to compare */
  winner?: string | null;
  segments?: Segment[] | null;
  /** the plan feature the segments need, when the plan lacks it */
  segments_locked?: string;
  criteria: Criterion[];
  funnel?: { steps: FunnelStep[] } | null;
  themes: { positive?: Theme[]; negative?: Theme[]; neutral?: Theme[] };
  themes_error?: string;
  transcript?: TranscriptLine[];
  insights?: Insights;
}

/** One persona's answers to one scenario (or variant, or journey step), one sample. */
export interface RunResult {
  /** a persona id, or template:<id> */
  persona_id: string;
  /** <scenario> or <scenario>/<variant> */
  scenario: string;
  sample: number;
  answers: Record<string, unknown>;
  thought: string | null;
  talk: string | null;
  abandoned: boolean;
  reason: string | null;
  error: string | null;
  model: string | null;
  theme: string | null;
  sentiment: 'positive' | 'negative' | 'neutral' | null;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
}

export interface RunResultPage {
  results: RunResult[];
  total: number;
  limit: number;
  offset: number;
}

/* ---- hooks ------------------------------------------------------------------------------------ */

const base = (testId: string, runId: string) => `/api/tests/${testId}/runs/${runId}`;

export const runKey = (testId: string, runId: string) => ['tests', 'run', testId, runId] as const;

export function useRun(testId: string, runId: string, { poll = 0 }: { poll?: number } = {}) {
  return useQuery({
    queryKey: runKey(testId, runId),
    queryFn: ({ signal }) => api.get<Run>(base(testId, runId), undefined, signal),
    refetchInterval: poll > 0 ? poll : false,
    // a run that has not ended changes under us (its page follows the event stream meanwhile)
    staleTime: (q) => {
      const s = (q.state.data as Run | undefined)?.status;
      return s === 'completed' || s === 'failed' || s === 'cancelled' ? 30_000 : 3_000;
    },
  });
}

export function useReport(testId: string, runId: string, enabled = true) {
  return useQuery({
    queryKey: ['runs', testId, runId, 'report'],
    queryFn: ({ signal }) => api.get<Report>(`${base(testId, runId)}/report`, undefined, signal),
    enabled,
  });
}

export interface ResultParams {
  limit?: number;
  offset?: number;
  persona_id?: string;
  scenario?: string;
  segment?: string;
}

/** RUN_RESULTS_MAX in src/domain/runs.h */
export const RESULTS_PAGE_MAX = 1000;

export function useResults(testId: string, runId: string, params: ResultParams, enabled = true) {
  return useQuery({
    queryKey: ['runs', testId, runId, 'results', params],
    queryFn: ({ signal }) =>
      api.get<RunResultPage>(`${base(testId, runId)}/results`, { ...params }, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export type RunAction = 'pause' | 'resume' | 'cancel';

/** POST .../pause|resume|cancel: the run as it is now (its status, or what was requested). */
export function useRunAction(testId: string, runId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: RunAction) => api.post<Run>(`${base(testId, runId)}/${action}`),
    onSuccess: (run) => {
      qc.setQueryData(runKey(testId, runId), run);
      void qc.invalidateQueries({ queryKey: ['tests'], refetchType: 'none' });
    },
  });
}

/* ---- persona names ---------------------------------------------------------------------------- */

export interface PersonaBrief {
  id: string;
  name: string;
  age?: number;
  occupation?: string;
  location?: string;
}

const PERSONA_PAGE = 200;
/** pages of the workspace's personas read at most to name a run's panel */
const PERSONA_PAGES_MAX = 10;

function brief(p: Persona | PersonaTemplate, id: string): PersonaBrief {
  return {
    id,
    name: p.name,
    age: p.demographics.age,
    ...(p.demographics.occupation ? { occupation: p.demographics.occupation } : {}),
    ...(p.demographics.location ? { location: p.demographics.location } : {}),
  };
}

/**
 * The names of the personas `ids` (persona ids, or template:<id>): the
 * workspace's personas page by page until all are found, and the template
 * catalogue when a template member is among them. Ids not found (a persona
 * deleted since) are simply absent from the map.
 */
export async function fetchPersonaBriefs(
  ids: string[],
  signal?: AbortSignal,
): Promise<Record<string, PersonaBrief>> {
  const out: Record<string, PersonaBrief> = {};
  const wanted = new Set(ids.filter((id) => !id.startsWith('template:')));
  const templates = ids.filter((id) => id.startsWith('template:'));
  for (let page = 0; wanted.size > 0 && page < PERSONA_PAGES_MAX; page++) {
    const pg = await api.get<PersonaPage>(
      '/api/personas',
      { limit: PERSONA_PAGE, offset: page * PERSONA_PAGE, sort: '-created_at' },
      signal,
    );
    for (const p of pg.personas) {
      if (wanted.delete(p.id)) out[p.id] = brief(p, p.id);
    }
    if ((page + 1) * PERSONA_PAGE >= pg.total) break;
  }
  if (templates.length > 0) {
    const all = await api.get<{ templates: PersonaTemplate[] }>(
      '/api/personas/templates',
      undefined,
      signal,
    );
    const byId = new Map(all.templates.map((tpl) => [tpl.id, tpl]));
    for (const id of templates) {
      const tpl = byId.get(id.slice('template:'.length));
      if (tpl) out[id] = brief(tpl, id);
    }
  }
  return out;
}

/** The names of the personas `ids`, for a run's feed and transcripts. */
export function usePersonaBriefs(ids: string[], enabled = true) {
  const sorted = [...new Set(ids)].sort();
  return useQuery({
    queryKey: ['runs', 'persona-briefs', sorted],
    queryFn: ({ signal }) => fetchPersonaBriefs(sorted, signal),
    enabled: enabled && sorted.length > 0,
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });
}

/**
 * The names of a test's panel, before any result names them: its persona
 * ids when it lists them; for a template panel, the catalogue; for a
 * library, a filter or a generated panel, the workspace's newest personas.
 */
export async function fetchPanelBriefs(
  test: Test,
  signal?: AbortSignal,
): Promise<Record<string, PersonaBrief>> {
  const ids = test.config.personas ?? [];
  if (ids.length > 0) return fetchPersonaBriefs(ids, signal);
  const panel = test.config.panel;
  const out: Record<string, PersonaBrief> = {};
  if (panel && 'templates' in panel) {
    const all = await api.get<{ templates: PersonaTemplate[] }>(
      '/api/personas/templates',
      undefined,
      signal,
    );
    for (const tpl of all.templates) out[`template:${tpl.id}`] = brief(tpl, `template:${tpl.id}`);
    return out;
  }
  const pg = await api.get<PersonaPage>(
    '/api/personas',
    { limit: PERSONA_PAGE, sort: '-created_at' },
    signal,
  );
  for (const p of pg.personas) out[p.id] = brief(p, p.id);
  return out;
}

export function usePanelBriefs(test: Test | undefined) {
  return useQuery({
    queryKey: ['runs', 'panel-briefs', test?.id, test?.updated_at],
    queryFn: ({ signal }) => fetchPanelBriefs(test as Test, signal),
    enabled: !!test,
    staleTime: 5 * 60_000,
  });
}

/* ---- exports ---------------------------------------------------------------------------------- */

export type ExportFormat = 'json' | 'csv' | 'html';

/** The file name of a Content-Disposition header, else null. */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* a malformed encoding: fall back to the plain name */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = plain?.[2] ?? plain?.[1];
  return name ? name.trim() : null;
}

/**
 * GET .../export?format=: fetched with the session's token (a link could not
 * carry it) into a Blob, then saved through an <a download> click. Throws
 * an ApiError (403 on a plan without advanced_analytics).
 */
export async function downloadExport(
  testId: string,
  runId: string,
  format: ExportFormat,
): Promise<string> {
  const token = tokenStore.get();
  let res: Response;
  try {
    res = await fetch(`${base(testId, runId)}/export?format=${format}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError({
      status: 0,
      code: 'network',
      message: cause instanceof Error ? cause.message : 'network error',
    });
  }
  if (!res.ok) {
    const err = await errorFromResponse(res);
    if (res.status === 401 && token) tokenStore.clear('expired');
    throw err;
  }
  const blob = await res.blob();
  const name =
    filenameFromDisposition(res.headers.get('Content-Disposition')) ??
    `crowdelic-run-${runId}.${format}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // the click has handed the Blob to the browser's download; free it a moment later
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
