/* The routes of the billing area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const ComingSoon = lazy(() => import('../ComingSoon'));

export const billingRoutes: RouteObject[] = [
  { path: '/billing', element: <ComingSoon /> },
  { path: '/billing/*', element: <ComingSoon /> },
];
