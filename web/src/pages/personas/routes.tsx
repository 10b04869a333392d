/* The routes of the personas area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const PersonasList = lazy(() => import('./PersonasList'));
const TemplateGallery = lazy(() => import('./TemplateGallery'));
const PersonaDetail = lazy(() => import('./PersonaDetail'));
const PersonaEditor = lazy(() => import('./PersonaEditor'));

export const personasRoutes: RouteObject[] = [
  { path: '/personas', element: <PersonasList /> },
  { path: '/personas/templates', element: <TemplateGallery /> },
  { path: '/personas/new', element: <PersonaEditor /> },
  { path: '/personas/:personaId', element: <PersonaDetail /> },
  { path: '/personas/:personaId/edit', element: <PersonaEditor /> },
];
