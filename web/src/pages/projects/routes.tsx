/* The routes of the projects area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router';

const ProjectsPage = lazy(() => import('./ProjectsPage'));

export const projectsRoutes: RouteObject[] = [
  { path: '/projects', element: <ProjectsPage /> },
  { path: '/projects/*', element: <Navigate to="/projects" replace /> },
];
