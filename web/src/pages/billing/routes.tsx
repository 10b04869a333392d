/* The routes of the billing area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router';

const BillingPage = lazy(() => import('./BillingPage'));

export const billingRoutes: RouteObject[] = [
  { path: '/billing', element: <BillingPage /> },
  { path: '/billing/*', element: <Navigate to="/billing" replace /> },
];
