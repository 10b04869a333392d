/* The routes of the settings area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const ComingSoon = lazy(() => import('../ComingSoon'));

export const settingsRoutes: RouteObject[] = [
  { path: '/settings', element: <ComingSoon /> },
  { path: '/settings/*', element: <ComingSoon /> },
];
