/* The routes of the personas area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const PersonasList = lazy(() => import('./PersonasList'));
const TemplateGallery = lazy(() => import('./TemplateGallery'));

export const personasRoutes: RouteObject[] = [
  { path: '/personas', element: <PersonasList /> },
  { path: '/personas/templates', element: <TemplateGallery /> },
];
