import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { RedirectIfSignedIn, RequireAuth } from './auth/session';
import { AppLayout } from './layout/AppLayout';
import { AuthLayout } from './layout/AuthLayout';
import { billingRoutes } from './pages/billing/routes';
import { notificationsRoutes } from './pages/notifications/routes';
import { personasRoutes } from './pages/personas/routes';
import { projectsRoutes } from './pages/projects/routes';
import { settingsRoutes } from './pages/settings/routes';
import { teamRoutes } from './pages/team/routes';
import { runRoutes } from './pages/tests/run/routes';
import { testsRoutes } from './pages/tests/routes';

const SignIn = lazy(() => import('./pages/auth/SignIn'));
const SignUp = lazy(() => import('./pages/auth/SignUp'));
const AcceptInvite = lazy(() => import('./pages/auth/AcceptInvite'));
const Dashboard = lazy(() => import('./pages/dashboard/Dashboard'));
const NotFound = lazy(() => import('./pages/NotFound'));

export const routes: RouteObject[] = [
  { path: '/', element: <Navigate to="/dashboard" replace /> },
  {
    element: <AuthLayout />,
    children: [
      {
        path: '/sign-in',
        element: (
          <RedirectIfSignedIn>
            <SignIn />
          </RedirectIfSignedIn>
        ),
      },
      {
        path: '/sign-up',
        element: (
          <RedirectIfSignedIn>
            <SignUp />
          </RedirectIfSignedIn>
        ),
      },
      { path: '/invite/:token', element: <AcceptInvite /> },
    ],
  },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { path: '/dashboard', element: <Dashboard /> },
      ...personasRoutes,
      ...testsRoutes,
      ...runRoutes,
      ...projectsRoutes,
      ...billingRoutes,
      ...teamRoutes,
      ...settingsRoutes,
      ...notificationsRoutes,
    ],
  },
  { path: '*', element: <NotFound /> },
];
