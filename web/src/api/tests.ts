/*
 * Tests and their runs (docs/openapi.yaml, tags tests and runs): the list,
 * one test, create / replace / delete, the cost estimate, starting a run and
 * the runs of a test; plus the projects and persona libraries the builder
 * and the list offer to choose from.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { TestPage, TestStatus, TestType } from './types';

export type QuestionKind = 'rating' | 'choice' | 'yes_no' | 'ranking' | 'text';

export interface QuestionSpec {
  id: string;
  kind: QuestionKind;
  prompt: string;
  scale?: { min: number; max: number };
  options?: string[];
}

export interface VariantSpec {
  id: string;
  stimulus: string;
}

export interface ScenarioSpec {
  id: string;
  title?: string;
  stimulus: string;
  image_url?: string;
  variants?: VariantSpec[];
  questions?: QuestionSpec[];
}

/** A filter panel: the fields GET /api/personas takes. */
export interface PanelFilter {
  q?: string;
  age_min?: number;
  age_max?: number;
  gender?: string;
  country?: string;
  location?: string;
  occupation?: string;
  income_level?: string;
  nationality?: string;
  education?: string;
  language?: string;
  type?: string;
  tag?: string[];
}

export type PanelSpec =
  | { library_id: string }
  | { filter: PanelFilter }
  | { generate: number; description: string }
  | { templates: 'all' };

export interface TestConfig {
  personas?: string[];
  panel?: PanelSpec;
  scenarios: ScenarioSpec[];
  moderator?: { questions: string[]; rounds: number };
  environment?: string;
  timeout?: number;
  seed?: number;
  model?: { name?: string; temperature?: number; concurrency?: number };
  elicitation?: 'direct' | 'ssr';
  samples?: number;
  success_criteria?: string[];
}

/** What POST /api/tests and PUT /api/tests/:id take. */
export interface TestInput {
  name: string;
  type: TestType;
  project_id?: string;
  config: TestConfig;
}

export interface Test extends TestInput {
  id: string;
  status: TestStatus;
  workspace_id: string;
  created_at: string;
  updated_at: string;
}

export type RunStatus = Exclude<TestStatus, 'draft'>;

export interface Run {
  id: string;
  test_id: string;
  status: RunStatus;
  requested: 'pause' | 'cancel' | null;
  seed: number;
  progress: { done: number; total: number };
  calls: number;
  cache_hits: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  model: string | null;
  error: string | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface RunPage {
  runs: Run[];
  total: number;
  limit: number;
  offset: number;
}

export interface Estimate {
  personas: number;
  calls: number;
  generate_calls: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  model: string;
  /** false when the model has no price (the cost is then 0) */
  priced: boolean;
  scenarios: {
    id: string;
    calls: number;
    tokens_in: number;
    tokens_out: number;
    cost_usd: number;
  }[];
}

export interface Project {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface Library {
  id: string;
  name: string;
  description: string;
  persona_count: number;
  created_at: string;
  updated_at: string;
}

export interface TestListParams {
  limit?: number;
  offset?: number;
  status?: TestStatus;
  type?: TestType;
  project_id?: string;
}

/** A run that has not ended: the test cannot be edited, deleted or run again meanwhile. */
export function isActive(status: TestStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'paused';
}

export function useTests(params: TestListParams = {}) {
  return useQuery({
    queryKey: ['tests', params],
    queryFn: ({ signal }) => api.get<TestPage>('/api/tests', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTest(id: string | undefined) {
  return useQuery({
    queryKey: ['tests', 'one', id],
    queryFn: ({ signal }) => api.get<Test>(`/api/tests/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useTestRuns(
  id: string | undefined,
  params: { limit?: number; offset?: number } = {},
  { poll = false }: { poll?: boolean } = {},
) {
  return useQuery({
    queryKey: ['tests', 'runs', id, params],
    queryFn: ({ signal }) => api.get<RunPage>(`/api/tests/${id}/runs`, { ...params }, signal),
    enabled: !!id,
    placeholderData: keepPreviousData,
    refetchInterval: poll ? 4000 : false,
  });
}

/** The cost estimate of a saved test; `version` (its updated_at) keys it to that save. */
export function useEstimate(id: string | undefined, version: string | undefined) {
  return useQuery({
    queryKey: ['tests', 'estimate', id, version],
    queryFn: () => api.post<Estimate>(`/api/tests/${id}/estimate`),
    enabled: !!id && !!version,
    staleTime: 5 * 60_000,
  });
}

/** Creates (no id) or replaces (id) a test. */
export function useSaveTest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string | undefined; input: TestInput }) =>
      id ? api.put<Test>(`/api/tests/${id}`, input) : api.post<Test>('/api/tests', input),
    onSuccess: (test) => {
      qc.setQueryData(['tests', 'one', test.id], test);
      void qc.invalidateQueries({ queryKey: ['tests'], refetchType: 'none' });
      // the first test of a workspace makes its first project
      void qc.invalidateQueries({ queryKey: ['projects'] });
    },
  });
}

export function useEstimateTest() {
  return useMutation({
    mutationFn: (id: string) => api.post<Estimate>(`/api/tests/${id}/estimate`),
  });
}

export function useDeleteTest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/tests/${id}`),
    onSuccess: (_, id) => {
      // the test's own queries (itself, its runs, its estimate) would only answer 404 now
      const its = (q: { queryKey: readonly unknown[] }) => q.queryKey.includes(id);
      void qc.cancelQueries({ predicate: its });
      qc.removeQueries({ predicate: its });
      void qc.invalidateQueries({ queryKey: ['tests'], predicate: (q) => !its(q) });
    },
  });
}

/** POST /api/tests/:id/run: 202 with the queued run. */
export function useRunTest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Run>(`/api/tests/${id}/run`),
    onSuccess: (run) => {
      void qc.invalidateQueries({ queryKey: ['tests'] });
      void qc.invalidateQueries({ queryKey: ['usage-history'] });
      qc.setQueryData(['tests', 'run', run.test_id, run.id], run);
    },
  });
}

/** The workspace's projects, to filter by and to file a test under. */
export function useProjectOptions() {
  return useQuery({
    queryKey: ['projects', 'options'],
    queryFn: ({ signal }) =>
      api.get<{ projects: Project[]; total: number }>('/api/projects', { limit: 100 }, signal),
    staleTime: 60_000,
  });
}

/** The workspace's persona libraries, for a library panel. */
export function useLibraryOptions(enabled = true) {
  return useQuery({
    queryKey: ['libraries', 'options'],
    queryFn: ({ signal }) =>
      api.get<{ libraries: Library[]; total: number }>('/api/libraries', { limit: 100 }, signal),
    staleTime: 60_000,
    enabled,
  });
}
