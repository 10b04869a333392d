/* The routes of the notifications area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const ComingSoon = lazy(() => import('../ComingSoon'));

export const notificationsRoutes: RouteObject[] = [
  { path: '/notifications', element: <ComingSoon /> },
  { path: '/notifications/*', element: <ComingSoon /> },
];
