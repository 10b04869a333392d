/* The routes of the settings area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router';

const SettingsPage = lazy(() => import('./SettingsPage'));

export const settingsRoutes: RouteObject[] = [
  { path: '/settings', element: <SettingsPage /> },
  { path: '/settings/*', element: <Navigate to="/settings" replace /> },
];
