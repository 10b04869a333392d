/* The routes of the tests area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const ComingSoon = lazy(() => import('../ComingSoon'));

export const testsRoutes: RouteObject[] = [
  { path: '/tests', element: <ComingSoon /> },
  { path: '/tests/*', element: <ComingSoon /> },
];
