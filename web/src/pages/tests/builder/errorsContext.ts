/*
 * Where the builder's fields find their mistakes: the builder's own checks
 * (shown once a field was left or its step submitted) and the API's
 * refusal (shown while the field still holds what was refused).
 */
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerIssue } from './serverIssue';
import { issueText, type Issues } from './validate';

export interface ErrorsContextValue {
  issues: Issues;
  /** paths whose issue is shown (left, or their step submitted) */
  shown: (path: string) => boolean;
  server: ServerIssue | null;
  touch: (path: string) => void;
}

export const ErrorsContext = createContext<ErrorsContextValue>({
  issues: {},
  shown: () => false,
  server: null,
  touch: () => {},
});

/** The message at an API path, or undefined. */
export function useFieldError(path: string, always = false): string | undefined {
  const { t } = useTranslation();
  const { issues, shown, server } = useContext(ErrorsContext);
  const issue = issues[path];
  if (issue && (always || shown(path))) return issueText(issue, t);
  if (server && server.path === path) return server.message;
  return undefined;
}

export function useTouch() {
  return useContext(ErrorsContext).touch;
}

/** A DOM id for an API path (for labels and for focusing the field at fault). */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}
