/* The routes of the projects area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const ComingSoon = lazy(() => import('../ComingSoon'));

export const projectsRoutes: RouteObject[] = [
  { path: '/projects', element: <ComingSoon /> },
  { path: '/projects/*', element: <ComingSoon /> },
];
