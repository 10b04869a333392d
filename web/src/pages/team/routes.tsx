/* The routes of the team area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router';

const TeamPage = lazy(() => import('./TeamPage'));

export const teamRoutes: RouteObject[] = [
  { path: '/team', element: <TeamPage /> },
  { path: '/team/*', element: <Navigate to="/team" replace /> },
];
