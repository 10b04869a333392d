/*
 * An API refusal of the test (400 naming a path, 404 naming a persona or a
 * library, 403 naming a plan feature) kept next to the form: the field and
 * step it belongs to, and what that field held when it was refused - the
 * message is shown while the field still holds that, and goes away once
 * the user changes it.
 */
import { isApiError } from '../../../api/client';
import type { TestInput } from '../../../api/tests';
import { valueAt } from './form';
import { stepOf, type Step } from './validate';

export interface ServerIssue {
  path: string;
  step: Step;
  /** the API's message, without the path it starts with */
  message: string;
  status: number;
  /** the field's value when refused (JSON) */
  snapshot: string;
}

const snapshotOf = (spec: TestInput, path: string) =>
  path ? (JSON.stringify(valueAt(spec, path)) ?? 'undefined') : '';

/** The message without the path it starts with: "must be above scale.min (1) (got 1)". */
export function stripPath(message: string, path: string): string {
  let m = message;
  if (path && m.startsWith(path)) m = m.slice(path.length).replace(/^[:\s]+/, '');
  return m ? m.charAt(0).toUpperCase() + m.slice(1) : message;
}

/** The issue of a refused save, or null when the error names no field of the test. */
export function serverIssueFrom(err: unknown, spec: TestInput): ServerIssue | null {
  if (!isApiError(err) || !err.field) return null;
  const byField =
    (err.status === 400 &&
      (err.field.startsWith('config') || ['name', 'type', 'project_id'].includes(err.field))) ||
    (err.status === 404 && (err.field.startsWith('config') || err.field === 'project_id')) ||
    (err.status === 403 && err.field === 'custom_personas') ||
    (err.status === 409 && err.field.startsWith('config'));
  if (!byField) return null;
  // a plan feature is not a field of the test: it stands for the generated panel
  const path = err.field === 'custom_personas' ? 'config.panel.generate' : err.field;
  return {
    path,
    step: stepOf(path),
    message: stripPath(err.message, err.field),
    status: err.status,
    snapshot: snapshotOf(spec, path),
  };
}

/** Is the issue still about what the form holds (the field unchanged since)? */
export function isLive(issue: ServerIssue | null, spec: TestInput): issue is ServerIssue {
  if (!issue) return false;
  if (issue.status === 403)
    return 'panel' in spec.config && !!spec.config.panel && 'generate' in spec.config.panel;
  return snapshotOf(spec, issue.path) === issue.snapshot;
}
