/* The routes of the team area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const ComingSoon = lazy(() => import('../ComingSoon'));

export const teamRoutes: RouteObject[] = [
  { path: '/team', element: <ComingSoon /> },
  { path: '/team/*', element: <ComingSoon /> },
];
