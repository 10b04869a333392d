import {
  Box,
  Button,
  Flex,
  IconButton,
  Popover,
  Portal,
  Skeleton,
  Stack,
  Text,
} from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMarkAllRead, useUnreadNotifications } from '../api/notifications';
import { BellIcon } from '../components/Icons';
import { formatDateTime } from '../lib/format';
import { notificationText } from '../lib/notifications';
import { ErrorState } from '../components/ErrorState';

/** The bell with the unread count (GET /api/notifications?unread=true) and the latest unread. */
export function NotificationsBell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const q = useUnreadNotifications();
  const markAll = useMarkAllRead();
  const unread = q.data?.unread ?? 0;
  const label = unread ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');
  return (
    <Popover.Root positioning={{ placement: 'bottom-end' }} lazyMount>
      <Popover.Trigger asChild>
        <IconButton
          data-testid="notifications-bell"
          aria-label={label}
          title={label}
          variant="ghost"
          size="sm"
          color="gray.700"
          position="relative"
        >
          <BellIcon boxSize="18px" />
          {unread > 0 ? (
            <Box
              data-testid="unread-count"
              position="absolute"
              top="0"
              right="0"
              minW="17px"
              h="17px"
              px="4px"
              borderRadius="full"
              bg="red.600"
              color="white"
              fontSize="10px"
              fontWeight="bold"
              lineHeight="17px"
              textAlign="center"
              aria-hidden="true"
            >
              {unread > 99 ? '99+' : unread}
            </Box>
          ) : null}
        </IconButton>
      </Popover.Trigger>
      <Portal>
        <Popover.Positioner>
          <Popover.Content borderRadius="card" w={{ base: '300px', sm: '360px' }}>
            <Popover.Body p="16px">
              <Flex justify="space-between" align="center" mb="12px" gap="8px">
                <Text as="h2" fontWeight="bold" fontSize="md">
                  {t('notifications.title')}
                </Text>
                {unread > 0 ? (
                  <Button
                    size="xs"
                    variant="ghost"
                    color="teal.700"
                    loading={markAll.isPending}
                    onClick={() => markAll.mutate()}
                  >
                    {t('notifications.markAllRead')}
                  </Button>
                ) : null}
              </Flex>
              {q.isPending ? (
                <Stack gap="8px">
                  <Skeleton h="40px" />
                  <Skeleton h="40px" />
                </Stack>
              ) : q.isError ? (
                <ErrorState error={q.error} onRetry={() => void q.refetch()} compact />
              ) : q.data.notifications.length === 0 ? (
                <Text color="fg.muted" fontSize="sm">
                  {t('notifications.noneUnread')}
                </Text>
              ) : (
                <Stack gap="10px" as="ul" listStyleType="none" m={0} p={0}>
                  {q.data.notifications.map((n) => (
                    <Box as="li" key={n.id} borderLeft="3px solid" borderColor="teal.300" pl="10px">
                      <Text fontSize="sm">{notificationText(n, t)}</Text>
                      <Text fontSize="xs" color="fg.muted">
                        {formatDateTime(n.created_at, i18n.language)}
                      </Text>
                    </Box>
                  ))}
                </Stack>
              )}
              {markAll.isError ? (
                <Box mt="8px">
                  <ErrorState error={markAll.error} onRetry={() => markAll.mutate()} compact />
                </Box>
              ) : null}
              <Button
                mt="12px"
                size="sm"
                variant="outline"
                w="100%"
                onClick={() => navigate('/notifications')}
              >
                {t('notifications.seeAll')}
              </Button>
            </Popover.Body>
          </Popover.Content>
        </Popover.Positioner>
      </Portal>
    </Popover.Root>
  );
}
