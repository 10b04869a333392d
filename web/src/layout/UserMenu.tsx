import { Box, Button, Flex, Menu, Portal, Text } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useLogout, useMe } from '../api/auth';
import { LogoutIcon, SettingsIcon } from '../components/Icons';
import { initials } from '../lib/format';

/** The signed-in user: settings and sign out (POST /api/auth/logout). */
export function UserMenu() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data } = useMe();
  const logout = useLogout();
  const email = data?.user.email ?? '';
  // the token is dropped either way; RequireAuth then shows the sign-in page
  const signOut = () => logout.mutate();
  return (
    <Menu.Root
      positioning={{ placement: 'bottom-end' }}
      onSelect={(d) => {
        if (d.value === 'settings') navigate('/settings');
        if (d.value === 'signout') signOut();
      }}
    >
      <Menu.Trigger asChild>
        <Button
          data-testid="user-menu"
          variant="ghost"
          size="sm"
          px="4px"
          aria-label={t('userMenu.label', { email })}
        >
          <Flex
            align="center"
            justify="center"
            w="30px"
            h="30px"
            borderRadius="iconBox"
            bg="gray.700"
            color="white"
            fontSize="xs"
            fontWeight="bold"
            aria-hidden="true"
          >
            {email ? initials(email.split('@')[0]?.replace(/[._-]+/g, ' ') ?? '') : '…'}
          </Flex>
        </Button>
      </Menu.Trigger>
      <Portal>
        <Menu.Positioner>
          <Menu.Content minW="220px" borderRadius="card">
            <Box px="8px" py="6px">
              <Text fontSize="xs" color="fg.muted">
                {t('userMenu.signedInAs')}
              </Text>
              <Text fontSize="sm" fontWeight="bold" truncate>
                {email}
              </Text>
            </Box>
            <Menu.Separator />
            <Menu.Item value="settings">
              <SettingsIcon boxSize="16px" />
              {t('nav.settings')}
            </Menu.Item>
            <Menu.Item value="signout" data-testid="sign-out">
              <LogoutIcon boxSize="16px" />
              {t('userMenu.signOut')}
            </Menu.Item>
          </Menu.Content>
        </Menu.Positioner>
      </Portal>
    </Menu.Root>
  );
}
