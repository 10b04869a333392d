import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { RedirectIfSignedIn, RequireAuth } from './auth/session';
import { AppLayout } from './layout/AppLayout';
import { AuthLayout } from './layout/AuthLayout';
import { NAV_ITEMS } from './layout/nav';

const SignIn = lazy(() => import('./pages/auth/SignIn'));
const SignUp = lazy(() => import('./pages/auth/SignUp'));
const AcceptInvite = lazy(() => import('./pages/auth/AcceptInvite'));
const Dashboard = lazy(() => import('./pages/dashboard/Dashboard'));
const PersonasList = lazy(() => import('./pages/personas/PersonasList'));
const TemplateGallery = lazy(() => import('./pages/personas/TemplateGallery'));
const ComingSoon = lazy(() => import('./pages/ComingSoon'));
const NotFound = lazy(() => import('./pages/NotFound'));

/** Sidebar entries whose pages come in later work. */
const COMING_SOON = NAV_ITEMS.map((n) => n.path).filter(
  (p) => p !== '/dashboard' && p !== '/personas',
);

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
      { path: '/personas', element: <PersonasList /> },
      { path: '/personas/templates', element: <TemplateGallery /> },
      ...COMING_SOON.flatMap((p) => [
        { path: p, element: <ComingSoon /> },
        { path: `${p}/*`, element: <ComingSoon /> },
      ]),
    ],
  },
  { path: '*', element: <NotFound /> },
];
