/*
 * The tests list's filters and page, kept in the URL (?status=&type=&project=&page=)
 * so that they survive a reload and the back button; only the API's own
 * words are taken from it.
 */
import type { TestListParams } from '../../api/tests';
import type { TestStatus, TestType } from '../../api/types';

export const LIST_PAGE_SIZE = 20;
export const STATUSES: TestStatus[] = [
  'draft',
  'queued',
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
];
export const TYPES: TestType[] = ['product', 'message', 'journey', 'focus_group'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ListState {
  status?: TestStatus;
  type?: TestType;
  project?: string;
  /** 1-based */
  page: number;
}

export function listStateFromParams(p: URLSearchParams): ListState {
  const s: ListState = { page: 1 };
  const status = p.get('status');
  if (status && (STATUSES as string[]).includes(status)) s.status = status as TestStatus;
  const type = p.get('type');
  if (type && (TYPES as string[]).includes(type)) s.type = type as TestType;
  const project = p.get('project');
  if (project && UUID.test(project)) s.project = project;
  const page = p.get('page');
  if (page && /^\d{1,6}$/.test(page) && Number(page) >= 1) s.page = Number(page);
  return s;
}

/** GET /api/tests's query for the state. */
export function apiParams(s: ListState): TestListParams {
  const out: TestListParams = { limit: LIST_PAGE_SIZE, offset: (s.page - 1) * LIST_PAGE_SIZE };
  if (s.status) out.status = s.status;
  if (s.type) out.type = s.type;
  if (s.project) out.project_id = s.project;
  return out;
}

export function isFiltered(s: ListState): boolean {
  return !!(s.status || s.type || s.project);
}

/** The URL's query after setting one filter (a filter's change goes back to page 1). */
export function withParam(p: URLSearchParams, key: string, value: string): URLSearchParams {
  const next = new URLSearchParams(p);
  if (value) next.set(key, value);
  else next.delete(key);
  if (key !== 'page') next.delete('page');
  if (key === 'page' && value === '1') next.delete('page');
  return next;
}
