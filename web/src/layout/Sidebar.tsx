import { Box, Button, Flex, Link, Stack, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useLocation, useNavigate } from 'react-router';
import { useMe } from '../api/auth';
import { FadeSeparator } from '../components/FadeSeparator';
import { IconBox } from '../components/IconBox';
import { SparkIcon } from '../components/Icons';
import { NAV_ITEMS, type NavItem } from './nav';

export function Logo() {
  return (
    <Flex align="center" gap="10px" px="12px" py="4px">
      <IconBox size="32px">
        <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
          <circle cx="11" cy="12" r="4" fill="currentColor" />
          <circle cx="21" cy="12" r="4" fill="currentColor" />
          <path
            d="M4 26c1-4.5 4-7 7-7s6 2.5 7 7M14 26c1-4.5 4-7 7-7s6 2.5 7 7"
            stroke="currentColor"
            strokeWidth="2.4"
            fill="none"
            strokeLinecap="round"
          />
        </svg>
      </IconBox>
      <Text fontWeight="bold" fontSize="sm" letterSpacing="0.08em" color="gray.700">
        CROWDELIC
      </Text>
    </Flex>
  );
}

function NavEntry({ item, onNavigate }: { item: NavItem; onNavigate?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const active = pathname === item.path || pathname.startsWith(`${item.path}/`);
  const Icon = item.icon;
  return (
    <Link
      asChild
      display="flex"
      alignItems="center"
      gap="12px"
      w="100%"
      px="12px"
      py="10px"
      borderRadius="card"
      textDecoration="none"
      bg={active ? 'white' : 'transparent'}
      boxShadow={active ? 'card' : 'none'}
      color={active ? 'gray.700' : 'fg.muted'}
      fontWeight="bold"
      fontSize="sm"
      _hover={{ textDecoration: 'none', bg: active ? 'white' : 'blackAlpha.50' }}
      _focusVisible={{ outline: '2px solid', outlineColor: 'teal.500', outlineOffset: '1px' }}
    >
      <RouterLink to={item.path} aria-current={active ? 'page' : undefined} onClick={onNavigate}>
        <IconBox active={active}>
          <Icon boxSize="16px" />
        </IconBox>
        {t(item.labelKey)}
      </RouterLink>
    </Link>
  );
}

function PlanCard({ onNavigate }: { onNavigate?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data } = useMe();
  if (!data) return null;
  return (
    <Box
      borderRadius="card"
      p="16px"
      color="white"
      bgImage="linear-gradient(135deg, #4FD1C5 0%, #285E61 100%)"
      position="relative"
      overflow="hidden"
    >
      <IconBox size="35px" active={false} mb="12px" color="teal.600">
        <SparkIcon boxSize="18px" />
      </IconBox>
      <Text fontWeight="bold" fontSize="sm">
        {t('sidebar.planName', { plan: t(`plans.${data.workspace.plan_type}`) })}
      </Text>
      <Text fontSize="xs" mb="12px" color="whiteAlpha.900">
        {t('sidebar.planHint')}
      </Text>
      <Button
        size="xs"
        w="100%"
        bg="white"
        color="gray.700"
        fontWeight="bold"
        textTransform="uppercase"
        fontSize="10px"
        borderRadius="12px"
        _hover={{ bg: 'gray.100' }}
        onClick={() => {
          onNavigate?.();
          navigate('/billing');
        }}
      >
        {t('sidebar.seePlans')}
      </Button>
    </Box>
  );
}

/** The sidebar's content: logo, navigation with icon boxes, the plan card. */
export function SidebarContent({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const main = NAV_ITEMS.filter((n) => n.section === 'main');
  const account = NAV_ITEMS.filter((n) => n.section === 'account');
  return (
    <Flex direction="column" h="100%" gap="16px">
      <Box pt="8px">
        <Logo />
        <FadeSeparator mt="20px" />
      </Box>
      <Box as="nav" aria-label={t('nav.label')} flex="1" overflowY="auto">
        <Stack gap="4px" as="ul" listStyleType="none" m={0} p={0}>
          {main.map((item) => (
            <li key={item.path}>
              <NavEntry item={item} onNavigate={onNavigate} />
            </li>
          ))}
        </Stack>
        <Text
          as="h2"
          fontSize="xs"
          fontWeight="bold"
          color="gray.700"
          letterSpacing="0.05em"
          textTransform="uppercase"
          px="12px"
          mt="20px"
          mb="8px"
        >
          {t('nav.accountSection')}
        </Text>
        <Stack gap="4px" as="ul" listStyleType="none" m={0} p={0}>
          {account.map((item) => (
            <li key={item.path}>
              <NavEntry item={item} onNavigate={onNavigate} />
            </li>
          ))}
        </Stack>
      </Box>
      <PlanCard onNavigate={onNavigate} />
    </Flex>
  );
}
