import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { TestPage, TestStatus, TestType } from './types';

export interface TestListParams {
  limit?: number;
  offset?: number;
  status?: TestStatus;
  type?: TestType;
  project_id?: string;
}

export function useTests(params: TestListParams = {}) {
  return useQuery({
    queryKey: ['tests', params],
    queryFn: ({ signal }) => api.get<TestPage>('/api/tests', { ...params }, signal),
  });
}
