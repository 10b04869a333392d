/* The routes of the notifications area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router';

const NotificationsPage = lazy(() => import('./NotificationsPage'));

export const notificationsRoutes: RouteObject[] = [
  { path: '/notifications', element: <NotificationsPage /> },
  { path: '/notifications/*', element: <Navigate to="/notifications" replace /> },
];
