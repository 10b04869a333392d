import { Box, Flex, Heading, Stack, Text } from '@chakra-ui/react';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { PageSkeleton } from '../components/Skeletons';
import { LanguageSwitch } from './LanguageSwitch';
import { Logo } from './Sidebar';
import { SkipLink } from './AppLayout';

function Bubble({
  name,
  text,
  top,
  left,
}: {
  name: string;
  text: string;
  top: string;
  left: string;
}) {
  return (
    <Box
      position="absolute"
      top={top}
      left={left}
      bg="whiteAlpha.900"
      color="gray.700"
      borderRadius="card"
      boxShadow="floating"
      px="14px"
      py="10px"
      maxW="240px"
      fontSize="sm"
      aria-hidden="true"
    >
      <Text fontWeight="bold" fontSize="xs" color="teal.700">
        {name}
      </Text>
      <Text>{text}</Text>
    </Box>
  );
}

/** Sign in, sign up, invites: the form on the left, Purity's teal panel on the right. */
export function AuthLayout() {
  const { t } = useTranslation();
  return (
    <Flex minH="100vh" bg="gray.50">
      <SkipLink />
      <Flex direction="column" flex="1" minW={0}>
        <Flex
          as="header"
          justify="space-between"
          align="center"
          px={{ base: '12px', md: '32px' }}
          py="16px"
        >
          <Logo />
          <LanguageSwitch />
        </Flex>
        <Flex
          as="main"
          id="main"
          tabIndex={-1}
          flex="1"
          align={{ base: 'flex-start', md: 'center' }}
          justify="center"
          px={{ base: '16px', md: '32px' }}
          py={{ base: '16px', md: '32px' }}
          _focus={{ outline: 'none' }}
        >
          <Box w="100%" maxW="420px">
            <Suspense fallback={<PageSkeleton />}>
              <Outlet />
            </Suspense>
          </Box>
        </Flex>
      </Flex>
      <Box
        hideBelow="lg"
        w="45%"
        maxW="720px"
        position="relative"
        overflow="hidden"
        borderBottomLeftRadius="40px"
        bgImage="linear-gradient(160deg, #4FD1C5 0%, #319795 55%, #285E61 100%)"
        color="white"
      >
        <Stack position="absolute" bottom="64px" left="48px" right="48px" gap="8px">
          <Heading as="p" fontSize="3xl" lineHeight="1.2" fontWeight="bold">
            {t('auth.panel.title')}
          </Heading>
          <Text fontSize="md" color="whiteAlpha.900" maxW="440px">
            {t('auth.panel.subtitle')}
          </Text>
        </Stack>
        <Bubble name="Ana, 34 · Porto Alegre" text={t('auth.panel.quote1')} top="14%" left="12%" />
        <Bubble name="Kwame, 41 · Accra" text={t('auth.panel.quote2')} top="30%" left="38%" />
        <Bubble name="Mei, 27 · Taipei" text={t('auth.panel.quote3')} top="46%" left="16%" />
      </Box>
    </Flex>
  );
}
