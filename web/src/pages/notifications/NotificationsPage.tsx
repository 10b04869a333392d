/*
 * /notifications: the workspace's notifications a page at a time (all or the
 * unread), each marked read on its own or all at once - the bell's count
 * follows, as both live under the query key ['notifications'] - and, for
 * admins, the workspace webhook.
 */
import { Badge, Box, Button, Flex, Group, Skeleton, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import {
  NOTIFICATIONS_PAGE,
  useMarkAllRead,
  useMarkRead,
  useNotifications,
} from '../../api/notifications';
import type { Notification } from '../../api/types';
import { ActionError } from '../../components/ActionError';
import { Card, CardHeader } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { BellIcon, CheckIcon } from '../../components/Icons';
import { Pager } from '../../components/Pager';
import { formatDateTime, formatNumber } from '../../lib/format';
import { notificationKindName, notificationText } from '../../lib/notifications';
import { WebhookCard } from './WebhookCard';

const KIND_PALETTE: Record<string, string> = {
  limit_approaching: 'orange',
  extra_charge: 'purple',
  plan_changed: 'teal',
};

function Item({ n }: { n: Notification }) {
  const { t, i18n } = useTranslation();
  const mark = useMarkRead();
  return (
    <Box
      as="li"
      data-testid="notification"
      data-unread={n.read ? undefined : 'true'}
      borderLeft="4px solid"
      borderColor={n.read ? 'gray.100' : 'teal.300'}
      bg={n.read ? 'white' : 'teal.50'}
      borderRadius="12px"
      px="14px"
      py="12px"
    >
      <Flex gap="12px" align="flex-start" wrap={{ base: 'wrap', sm: 'nowrap' }}>
        <Box flex="1" minW="0">
          <Flex gap="8px" align="center" wrap="wrap" mb="4px">
            <Badge
              colorPalette={KIND_PALETTE[n.kind] ?? 'gray'}
              variant="subtle"
              borderRadius="badge"
              textTransform="none"
            >
              {notificationKindName(n.kind, t)}
            </Badge>
            {n.read ? null : (
              <Text as="span" fontSize="xs" fontWeight="bold" color="teal.700">
                {t('notificationsPage.unreadLabel')}
              </Text>
            )}
            <Text as="span" fontSize="xs" color="fg.muted">
              <time dateTime={n.created_at}>{formatDateTime(n.created_at, i18n.language)}</time>
            </Text>
          </Flex>
          <Text fontSize="sm" color="gray.700" fontWeight={n.read ? 'normal' : 'bold'}>
            {notificationText(n, t, i18n.language)}
          </Text>
          {mark.isError ? (
            <Box mt="8px">
              <ActionError error={mark.error} onRetry={() => mark.mutate(n.id)} />
            </Box>
          ) : null}
        </Box>
        {n.read ? null : (
          <Button
            size="xs"
            variant="outline"
            borderRadius="10px"
            bg="white"
            flexShrink={0}
            loading={mark.isPending}
            onClick={() => mark.mutate(n.id)}
            data-testid="mark-read"
          >
            <CheckIcon boxSize="14px" />
            {t('notificationsPage.markRead')}
          </Button>
        )}
      </Flex>
    </Box>
  );
}

function NotificationsList() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [unread, setUnread] = useState(false);
  const [offset, setOffset] = useState(0);
  const q = useNotifications({ unread, offset });
  const markAll = useMarkAllRead();
  const unreadCount = q.data?.unread ?? 0;
  const total = q.data?.total ?? 0;
  const page = Math.floor(offset / NOTIFICATIONS_PAGE) + 1;
  const pages = Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE));
  const show = (u: boolean) => {
    setUnread(u);
    setOffset(0);
  };

  return (
    <Card data-testid="notifications-card">
      <CardHeader
        title={t('notificationsPage.listTitle')}
        subtitle={
          q.data
            ? t('notificationsPage.unreadCount', {
                count: unreadCount,
                n: formatNumber(unreadCount, lng),
              })
            : undefined
        }
        actions={
          <>
            <Group attached role="group" aria-label={t('notificationsPage.filter')}>
              <Button
                size="sm"
                variant={unread ? 'outline' : 'solid'}
                colorPalette="teal"
                aria-pressed={!unread}
                onClick={() => show(false)}
              >
                {t('notificationsPage.all')}
              </Button>
              <Button
                size="sm"
                variant={unread ? 'solid' : 'outline'}
                colorPalette="teal"
                aria-pressed={unread}
                onClick={() => show(true)}
                data-testid="filter-unread"
              >
                {t('notificationsPage.unreadOnly')}
              </Button>
            </Group>
            <Button
              size="sm"
              variant="outline"
              borderRadius="12px"
              disabled={unreadCount === 0}
              loading={markAll.isPending}
              onClick={() => markAll.mutate()}
              data-testid="mark-all-read"
            >
              {t('notifications.markAllRead')}
            </Button>
          </>
        }
      />
      {markAll.isError ? (
        <Box mb="12px">
          <ActionError error={markAll.error} onRetry={() => markAll.mutate()} />
        </Box>
      ) : null}
      <Box aria-live="polite" aria-busy={q.isFetching}>
        {q.isPending ? (
          <Stack gap="10px" aria-label={t('common.loading')}>
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} h="64px" borderRadius="12px" />
            ))}
          </Stack>
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : q.data.notifications.length === 0 && offset > 0 ? (
          // the last ones of a later page were marked read (unread filter)
          <EmptyState
            icon={<BellIcon boxSize="26px" />}
            title={t('notificationsPage.pageEmpty')}
            actions={
              <Button size="sm" variant="outline" onClick={() => setOffset(0)}>
                {t('notificationsPage.firstPage')}
              </Button>
            }
          />
        ) : q.data.notifications.length === 0 ? (
          <EmptyState
            icon={<BellIcon boxSize="26px" />}
            title={unread ? t('notifications.noneUnread') : t('notificationsPage.emptyTitle')}
            description={
              unread ? t('notificationsPage.noneUnreadText') : t('notificationsPage.emptyText')
            }
            actions={
              unread ? (
                <Button size="sm" variant="outline" onClick={() => show(false)}>
                  {t('notificationsPage.showAll')}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <Stack gap="16px">
            <Stack
              as="ul"
              gap="10px"
              listStyleType="none"
              m={0}
              p={0}
              opacity={q.isPlaceholderData ? 0.6 : 1}
            >
              {q.data.notifications.map((n) => (
                <Item key={n.id} n={n} />
              ))}
            </Stack>
            {pages > 1 ? (
              <Pager
                page={page}
                pages={pages}
                onPage={(p) => setOffset((p - 1) * NOTIFICATIONS_PAGE)}
                showing={{ from: offset + 1, to: offset + q.data.notifications.length, total }}
              />
            ) : null}
          </Stack>
        )}
      </Box>
    </Card>
  );
}

export default function NotificationsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const isAdmin = me.data?.user.role === 'admin';
  return (
    <Stack gap="24px">
      <NotificationsList />
      {me.isPending ? (
        <Card>
          <Skeleton h="120px" />
        </Card>
      ) : isAdmin ? (
        <WebhookCard />
      ) : me.data ? (
        <Card>
          <CardHeader title={t('notificationsPage.webhook.title')} />
          <Text fontSize="sm" color="fg.muted" data-testid="webhook-admins-only">
            {t('notificationsPage.webhook.adminsOnly')}
          </Text>
        </Card>
      ) : null}
    </Stack>
  );
}
