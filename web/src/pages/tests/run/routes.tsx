/* The routes of one run: its monitor while it runs, its results once done (mounted by src/routes.tsx). */
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const RunPage = lazy(() => import('./RunPage'));

export const runRoutes: RouteObject[] = [
  { path: '/tests/:testId/runs/:runId', element: <RunPage /> },
];
