import { Box, Breadcrumb, Flex, Heading, IconButton } from '@chakra-ui/react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useLocation } from 'react-router';
import { OfflineModelBadge } from '../components/Badges';
import { MenuIcon } from '../components/Icons';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationsBell } from './NotificationsBell';
import { UserMenu } from './UserMenu';
import { crumbsFor } from './nav';

/** Purity's floating navbar: breadcrumb and page title on the left, the tools on the right. */
export function Navbar({ onOpenMenu, menuOpen }: { onOpenMenu: () => void; menuOpen: boolean }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const crumbs = crumbsFor(pathname);
  const title = t(crumbs[crumbs.length - 1]?.labelKey ?? 'nav.dashboard');

  useEffect(() => {
    document.title = `${title} · Crowdelic`;
  }, [title]);

  return (
    <Flex
      as="header"
      position="sticky"
      top={{ base: 0, xl: '18px' }}
      zIndex="sticky"
      mx={{ base: 0, md: '15px' }}
      mt={{ base: 0, xl: '18px' }}
      mb="18px"
      minH="75px"
      px={{ base: '12px', md: '16px' }}
      py="10px"
      align="center"
      gap="12px"
      borderRadius={{ base: 0, md: 'navbar' }}
      bg="rgba(247, 250, 252, 0.82)"
      backdropFilter="blur(21px)"
      boxShadow={{ base: 'navbar', xl: 'none' }}
    >
      <IconButton
        hideFrom="xl"
        aria-label={t('nav.openMenu')}
        aria-expanded={menuOpen}
        aria-controls="mobile-nav"
        variant="ghost"
        size="sm"
        color="gray.700"
        onClick={onOpenMenu}
        data-testid="open-menu"
      >
        <MenuIcon boxSize="20px" />
      </IconButton>
      <Box flex="1" minW={0}>
        <Breadcrumb.Root size="sm" hideBelow="sm">
          <Breadcrumb.List gap="6px">
            <Breadcrumb.Item color="fg.muted">{t('nav.pages')}</Breadcrumb.Item>
            {crumbs.map((c, i) => (
              <Box as="span" display="contents" key={c.path}>
                <Breadcrumb.Separator color="fg.muted">/</Breadcrumb.Separator>
                <Breadcrumb.Item>
                  {i === crumbs.length - 1 ? (
                    <Breadcrumb.CurrentLink color="gray.700">
                      {t(c.labelKey)}
                    </Breadcrumb.CurrentLink>
                  ) : (
                    <Breadcrumb.Link asChild color="fg.muted">
                      <RouterLink to={c.path}>{t(c.labelKey)}</RouterLink>
                    </Breadcrumb.Link>
                  )}
                </Breadcrumb.Item>
              </Box>
            ))}
          </Breadcrumb.List>
        </Breadcrumb.Root>
        <Heading
          as="h1"
          fontSize={{ base: 'md', md: 'lg' }}
          fontWeight="bold"
          color="gray.700"
          truncate
        >
          {title}
        </Heading>
      </Box>
      <Flex align="center" gap={{ base: '2px', md: '6px' }}>
        <OfflineModelBadge hideBelow="md" />
        <LanguageSwitch />
        <NotificationsBell />
        <UserMenu />
      </Flex>
    </Flex>
  );
}
