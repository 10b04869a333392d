/* The routes of the tests area (mounted inside the signed-in layout by src/routes.tsx). */
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const TestsList = lazy(() => import('./TestsList'));
const TestBuilder = lazy(() => import('./builder/TestBuilder'));
const TestDetail = lazy(() => import('./TestDetail'));

export const testsRoutes: RouteObject[] = [
  { path: '/tests', element: <TestsList /> },
  { path: '/tests/new', element: <TestBuilder /> },
  { path: '/tests/:testId/edit', element: <TestBuilder /> },
  { path: '/tests/:testId', element: <TestDetail /> },
];
