import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { Project } from '../../api/projects';
import { setupI18n } from '../../i18n';
import {
  PAGE_SIZE,
  changes,
  checkProject,
  pageFromParams,
  projectErrorMessage,
  testsLink,
} from './projectsLogic';

const err = (status: number, code: ApiError['code'], message: string, field?: string) =>
  new ApiError({ status, code, message, field });
const i18n = setupI18n('en');
const en = i18n.getFixedT('en');
const pt = i18n.getFixedT('pt-BR');

const project: Project = {
  id: 'p1',
  name: 'Launch',
  description: 'Pricing',
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
};

describe('the projects helpers', () => {
  it('the page comes from ?page=, bad values are page 1', () => {
    expect(pageFromParams(new URLSearchParams('page=3'))).toEqual({
      page: 3,
      offset: 2 * PAGE_SIZE,
    });
    expect(pageFromParams(new URLSearchParams('page=-2')).page).toBe(1);
    expect(pageFromParams(new URLSearchParams('page=abc')).page).toBe(1);
    expect(pageFromParams(new URLSearchParams('')).offset).toBe(0);
  });

  it("a project's tests are /tests?project=<id> (the tests list's filter)", () => {
    expect(testsLink('01a2-b')).toBe('/tests?project=01a2-b');
  });

  it('the form is checked as the API checks it', () => {
    expect(checkProject({ name: ' ', description: '' }, en)).toEqual({
      name: 'Enter a name for the project.',
    });
    expect(checkProject({ name: 'x'.repeat(201), description: 'y'.repeat(2001) }, en)).toEqual({
      name: 'Use at most 200 characters for the name.',
      description: 'Use at most 2000 characters for the description.',
    });
    expect(checkProject({ name: 'ok', description: '' }, en)).toEqual({});
  });

  it('an edit sends only what changed, trimmed; nothing when nothing did', () => {
    expect(changes(project, { name: ' Launch ', description: 'Pricing' })).toBeNull();
    expect(changes(project, { name: 'Launch 2', description: 'Pricing' })).toEqual({
      name: 'Launch 2',
    });
    expect(changes(project, { name: 'Launch', description: '' })).toEqual({ description: '' });
  });

  it("the API's refusals in words", () => {
    expect(
      projectErrorMessage(
        err(
          422,
          'plan_limit',
          'max_projects: the free plan allows 1 and the workspace has 1',
          'max_projects',
        ),
        en,
      ),
    ).toBe('Your Free plan includes 1 project, and it is in use. Upgrade for more.');
    expect(
      projectErrorMessage(
        err(
          409,
          'conflict',
          "project '01a2' has 2 test(s): delete them or move them to another project first",
          'id',
        ),
        pt,
      ),
    ).toBe('O projeto ainda tem 2 testes. Exclua-os ou mova-os para outro projeto primeiro.');
    expect(
      projectErrorMessage(
        err(400, 'invalid_request', "'name' must be 1 to 200 characters long (got 201)", 'name'),
        en,
      ),
    ).toBe('Use at most 200 characters for the name.');
    expect(
      projectErrorMessage(err(400, 'invalid_request', "'name' must not be empty", 'name'), en),
    ).toBe('Enter a name for the project.');
    expect(projectErrorMessage(err(404, 'not_found', "no project '01a2'"), en)).toMatch(
      /no longer exists/,
    );
    expect(projectErrorMessage(err(500, 'internal', 'boom'), en)).toBeNull();
  });
});
