/*
 * The projects page's logic without React: the page from the URL, the form's
 * checks as the API makes them, the API's refusals in the user's words, and
 * what a change sends (only the fields that changed).
 */
import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client';
import type { Project, ProjectInput } from '../../api/projects';

export const PAGE_SIZE = 12;
export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 2000;

/** The 1-based page of ?page=, and the offset GET /api/projects takes. */
export function pageFromParams(params: URLSearchParams): { page: number; offset: number } {
  const n = Number(params.get('page'));
  const page = Number.isInteger(n) && n > 1 ? n : 1;
  return { page, offset: (page - 1) * PAGE_SIZE };
}

/** The link to a project's tests (the tests list filters by ?project=). */
export function testsLink(projectId: string): string {
  return `/tests?project=${encodeURIComponent(projectId)}`;
}

export interface ProjectForm {
  name: string;
  description: string;
}

/** The form's problems by field, as the API would refuse them (lengths in characters). */
export function checkProject(
  f: ProjectForm,
  t: TFunction,
): Partial<Record<keyof ProjectForm, string>> {
  const out: Partial<Record<keyof ProjectForm, string>> = {};
  const name = f.name.trim();
  if (!name) out.name = t('projects.errors.nameRequired');
  else if ([...name].length > NAME_MAX)
    out.name = t('projects.errors.nameTooLong', { max: NAME_MAX });
  if ([...f.description].length > DESCRIPTION_MAX)
    out.description = t('projects.errors.descriptionTooLong', { max: DESCRIPTION_MAX });
  return out;
}

/** What PUT /api/projects/:id gets: only the fields that changed; null when nothing did. */
export function changes(p: Project, f: ProjectForm): ProjectInput | null {
  const out: ProjectInput = {};
  const name = f.name.trim();
  const description = f.description.trim();
  if (name !== p.name) out.name = name;
  if (description !== (p.description ?? '')) out.description = description;
  return Object.keys(out).length ? out : null;
}

/** The projects page's words for an error of /api/projects, or null. */
export function projectErrorMessage(err: unknown, t: TFunction): string | null {
  if (!isApiError(err)) return null;
  const m = err.message;
  if (err.code === 'plan_limit' && err.field === 'max_projects') {
    const x = /the (\w+) plan allows (\d+)/.exec(m);
    if (x)
      return t('projects.errors.limit', {
        count: Number(x[2]),
        plan: t(`plans.${x[1]}`, { defaultValue: x[1] }),
      });
    return t('projects.errors.limitPlain');
  }
  if (err.code === 'conflict') {
    const x = /has (\d+) test/.exec(m);
    if (x) return t('projects.errors.hasTests', { count: Number(x[1]) });
  }
  if (err.code === 'invalid_request') {
    if (err.field === 'name' && /must not be empty|1 to/.test(m) && /got 0|empty/.test(m))
      return t('projects.errors.nameRequired');
    if (err.field === 'name' && /characters long/.test(m))
      return t('projects.errors.nameTooLong', { max: NAME_MAX });
    if (err.field === 'description' && /characters long/.test(m))
      return t('projects.errors.descriptionTooLong', { max: DESCRIPTION_MAX });
    if (/nothing to change/.test(m)) return t('projects.errors.nothingToChange');
  }
  if (err.code === 'not_found') return t('projects.errors.gone');
  return null;
}
