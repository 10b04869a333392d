import { Box, CloseButton, Drawer, Flex, Link, Portal, Text } from '@chakra-ui/react';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { PageSkeleton } from '../components/Skeletons';
import { Navbar } from './Navbar';
import { SidebarContent } from './Sidebar';

export function SkipLink() {
  const { t } = useTranslation();
  return (
    <Link
      href="#main"
      position="absolute"
      left="16px"
      top="-100px"
      zIndex="skipLink"
      bg="white"
      px="16px"
      py="8px"
      borderRadius="card"
      boxShadow="navbar"
      _focus={{ top: '16px' }}
    >
      {t('nav.skipToContent')}
    </Link>
  );
}

function Footer() {
  const { t } = useTranslation();
  return (
    <Flex
      as="footer"
      px={{ base: '16px', md: '30px' }}
      pb="24px"
      justify="space-between"
      wrap="wrap"
      gap="8px"
    >
      <Text fontSize="sm" color="fg.muted">
        {t('footer.copyright', { year: new Date().getFullYear() })}
      </Text>
      <Link
        href="/api/openapi.yaml"
        fontSize="sm"
        color="teal.700"
        target="_blank"
        rel="noreferrer"
      >
        {t('footer.apiReference')}
      </Link>
    </Flex>
  );
}

/** The signed-in frame: sidebar (a drawer under 1200px), navbar, the page, the footer. */
export function AppLayout() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Box minH="100vh" bg="gray.50">
      <SkipLink />
      <Box
        as="aside"
        hideBelow="xl"
        position="fixed"
        top="16px"
        left="16px"
        w="260px"
        h="calc(100vh - 32px)"
        px="4px"
      >
        <SidebarContent />
      </Box>
      <Drawer.Root open={open} onOpenChange={(e) => setOpen(e.open)} placement="start">
        <Portal>
          <Drawer.Backdrop />
          <Drawer.Positioner>
            <Drawer.Content id="mobile-nav" bg="gray.50" maxW="290px" aria-label={t('nav.label')}>
              <Drawer.Body px="16px" py="16px">
                <SidebarContent onNavigate={() => setOpen(false)} />
              </Drawer.Body>
              <Drawer.CloseTrigger asChild top="14px" insetEnd="10px">
                <CloseButton size="sm" aria-label={t('nav.closeMenu')} />
              </Drawer.CloseTrigger>
            </Drawer.Content>
          </Drawer.Positioner>
        </Portal>
      </Drawer.Root>
      <Flex
        direction="column"
        minH="100vh"
        ml={{ base: 0, xl: '292px' }}
        w={{ base: '100%', xl: 'calc(100% - 292px)' }}
      >
        <Navbar onOpenMenu={() => setOpen(true)} menuOpen={open} />
        <Box
          as="main"
          id="main"
          tabIndex={-1}
          flex="1"
          px={{ base: '12px', md: '30px' }}
          pb="30px"
          _focus={{ outline: 'none' }}
        >
          <Suspense fallback={<PageSkeleton />}>
            <Outlet />
          </Suspense>
        </Box>
        <Footer />
      </Flex>
    </Box>
  );
}
