import type { ComponentType } from 'react';
import type { IconProps } from '@chakra-ui/react';
import {
  BellIcon,
  BillingIcon,
  HomeIcon,
  PersonasIcon,
  ProjectsIcon,
  SettingsIcon,
  TeamIcon,
  TestsIcon,
} from '../components/Icons';

export interface NavItem {
  path: string;
  /** i18n key of the label (also the page title) */
  labelKey: string;
  icon: ComponentType<IconProps>;
  /** group caption, Purity's "ACCOUNT PAGES" */
  section: 'main' | 'account';
}

export const NAV_ITEMS: NavItem[] = [
  { path: '/dashboard', labelKey: 'nav.dashboard', icon: HomeIcon, section: 'main' },
  { path: '/personas', labelKey: 'nav.personas', icon: PersonasIcon, section: 'main' },
  { path: '/tests', labelKey: 'nav.tests', icon: TestsIcon, section: 'main' },
  { path: '/projects', labelKey: 'nav.projects', icon: ProjectsIcon, section: 'main' },
  { path: '/billing', labelKey: 'nav.billing', icon: BillingIcon, section: 'account' },
  { path: '/team', labelKey: 'nav.team', icon: TeamIcon, section: 'account' },
  { path: '/settings', labelKey: 'nav.settings', icon: SettingsIcon, section: 'account' },
  { path: '/notifications', labelKey: 'nav.notifications', icon: BellIcon, section: 'account' },
];

/** The breadcrumb trail of a path: each a (path, label key); the last is the page. */
export function crumbsFor(pathname: string): { path: string; labelKey: string }[] {
  if (pathname.startsWith('/personas/templates'))
    return [
      { path: '/personas', labelKey: 'nav.personas' },
      { path: '/personas/templates', labelKey: 'personas.gallery.title' },
    ];
  // the personas area: a new persona, one persona, its editor
  if (/^\/personas\/new\/?$/.test(pathname))
    return [
      { path: '/personas', labelKey: 'nav.personas' },
      { path: pathname, labelKey: 'personaEditor.newTitle' },
    ];
  const personaPage = /^\/personas\/([^/]+)(\/edit)?\/?$/.exec(pathname);
  if (personaPage)
    return [
      { path: '/personas', labelKey: 'nav.personas' },
      { path: `/personas/${personaPage[1]}`, labelKey: 'personaDetail.title' },
      ...(personaPage[2] ? [{ path: pathname, labelKey: 'personaEditor.editTitle' }] : []),
    ];
  // the tests area: the builder and one test (a run's pages have their own trail)
  if (/^\/tests\/new\/?$/.test(pathname))
    return [
      { path: '/tests', labelKey: 'nav.tests' },
      { path: pathname, labelKey: 'builder.titleNew' },
    ];
  const testPage = /^\/tests\/([^/]+)(\/edit)?\/?$/.exec(pathname);
  if (testPage)
    return [
      { path: '/tests', labelKey: 'nav.tests' },
      ...(testPage[2]
        ? [
            { path: `/tests/${testPage[1]}`, labelKey: 'testDetail.title' },
            { path: pathname, labelKey: 'builder.titleEdit' },
          ]
        : [{ path: pathname, labelKey: 'testDetail.title' }]),
    ];
  // one run of a test: Tests > the test > the run
  const runPage = /^\/tests\/([^/]+)\/runs\/[^/]+\/?$/.exec(pathname);
  if (runPage)
    return [
      { path: '/tests', labelKey: 'nav.tests' },
      { path: `/tests/${runPage[1]}`, labelKey: 'run.crumbTest' },
      { path: pathname, labelKey: 'run.title' },
    ];
  const item = NAV_ITEMS.find((n) => pathname === n.path || pathname.startsWith(`${n.path}/`));
  if (item) return [{ path: item.path, labelKey: item.labelKey }];
  return [{ path: pathname, labelKey: 'notFound.title' }];
}
