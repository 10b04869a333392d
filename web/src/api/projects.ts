/*
 * Projects group tests; the plan's max_projects counts them (usage.projects).
 * GET /api/projects is paged (newest first); PUT takes the fields given;
 * DELETE answers 409 while tests belong to the project. A project's tests
 * count is the total of GET /api/tests?project_id=<id>&limit=1.
 */
import {
  keepPreviousData,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { api } from './client';
import type { Page, TestPage } from './types';

export interface Project {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface ProjectPage extends Page {
  projects: Project[];
}

export interface ProjectInput {
  name?: string;
  description?: string;
}

export const projectsKey = ['projects'] as const;

function invalidateProjects(qc: QueryClient) {
  void qc.invalidateQueries({ queryKey: projectsKey });
  void qc.invalidateQueries({ queryKey: ['usage'] });
  void qc.invalidateQueries({ queryKey: ['me'] });
  void qc.invalidateQueries({ queryKey: ['notifications'] });
}

export function useProjects(params: { limit: number; offset: number }) {
  return useQuery({
    queryKey: [...projectsKey, params],
    queryFn: ({ signal }) => api.get<ProjectPage>('/api/projects', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

/** The number of tests of each project (one small request each), by project id. */
export function useProjectTestCounts(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      // under 'tests', so whatever changes the tests refreshes these counts too
      queryKey: ['tests', { project_id: id, limit: 1 }],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<TestPage>('/api/tests', { project_id: id, limit: 1 }, signal),
    })),
    combine: (results) => {
      const counts: Record<string, number | undefined> = {};
      ids.forEach((id, i) => {
        counts[id] = results[i]?.data?.total;
      });
      return counts;
    },
  });
}

export function useCreateProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; description?: string }) =>
      api.post<Project>('/api/projects', input),
    onSuccess: () => invalidateProjects(qc),
  });
}

export function useUpdateProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: ProjectInput & { id: string }) =>
      api.put<Project>(`/api/projects/${encodeURIComponent(id)}`, input),
    onSettled: () => invalidateProjects(qc),
  });
}

export function useDeleteProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/projects/${encodeURIComponent(id)}`),
    onSettled: () => {
      invalidateProjects(qc);
      void qc.invalidateQueries({ queryKey: ['tests'] });
    },
  });
}
