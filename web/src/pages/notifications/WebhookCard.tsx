/*
 * The workspace webhook (admins): its URL, the signing secret shown once
 * when it is made (never again: the API does not return it), what is sent,
 * the latest deliveries with their status, and removal.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Checkbox,
  Code,
  Flex,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@chakra-ui/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import {
  useDeleteWebhook,
  useSaveWebhook,
  useWebhook,
  type WebhookDelivery,
} from '../../api/notifications';
import { ActionError } from '../../components/ActionError';
import { Card, CardHeader } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyField } from '../../components/CopyField';
import { ErrorState } from '../../components/ErrorState';
import { FormField } from '../../components/FormField';
import { TrashIcon } from '../../components/Icons';
import { formatDateTime } from '../../lib/format';
import { NOTIFICATION_KINDS, notificationKindName } from '../../lib/notifications';
import { checkWebhookUrl, urlErrorKey } from './webhookUrl';

const STATUS_PALETTE: Record<string, string> = {
  pending: 'orange',
  delivered: 'green',
  failed: 'red',
};

function Deliveries({ deliveries }: { deliveries: WebhookDelivery[] }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const th = { color: 'fg.muted', textTransform: 'uppercase', fontSize: 'xs' } as const;
  if (deliveries.length === 0)
    return (
      <Text fontSize="sm" color="fg.muted" data-testid="no-deliveries">
        {t('notificationsPage.webhook.noDeliveries')}
      </Text>
    );
  return (
    <Table.ScrollArea>
      <Table.Root size="sm" variant="line" data-testid="deliveries">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader {...th} ps={0}>
              {t('notificationsPage.webhook.event')}
            </Table.ColumnHeader>
            <Table.ColumnHeader {...th}>{t('notificationsPage.webhook.status')}</Table.ColumnHeader>
            <Table.ColumnHeader {...th}>
              {t('notificationsPage.webhook.attempts')}
            </Table.ColumnHeader>
            <Table.ColumnHeader {...th}>{t('notificationsPage.webhook.result')}</Table.ColumnHeader>
            <Table.ColumnHeader {...th}>{t('notificationsPage.webhook.when')}</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {deliveries.map((d) => (
            <Table.Row key={d.id}>
              <Table.Cell ps={0}>{notificationKindName(d.event, t)}</Table.Cell>
              <Table.Cell>
                <Badge
                  colorPalette={STATUS_PALETTE[d.status] ?? 'gray'}
                  variant="subtle"
                  borderRadius="badge"
                  textTransform="none"
                >
                  {t(`notificationsPage.webhook.statusName.${d.status}`, {
                    defaultValue: d.status,
                  })}
                </Badge>
              </Table.Cell>
              <Table.Cell>{d.attempts}</Table.Cell>
              <Table.Cell minW="200px" whiteSpace="normal" fontSize="xs" color="gray.700">
                {d.last_status !== null ? `HTTP ${d.last_status}` : null}
                {d.last_status !== null && d.last_error ? ' · ' : null}
                {d.last_error ?? (d.last_status === null ? '—' : null)}
              </Table.Cell>
              <Table.Cell fontSize="xs" color="fg.muted" whiteSpace="nowrap">
                {d.delivered_at
                  ? t('notificationsPage.webhook.deliveredAt', {
                      date: formatDateTime(d.delivered_at, lng),
                    })
                  : d.failed_at
                    ? t('notificationsPage.webhook.failedAt', {
                        date: formatDateTime(d.failed_at, lng),
                      })
                    : d.next_attempt_at
                      ? t('notificationsPage.webhook.nextAt', {
                          date: formatDateTime(d.next_attempt_at, lng),
                        })
                      : formatDateTime(d.created_at, lng)}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}

export function WebhookCard() {
  const { t } = useTranslation();
  const q = useWebhook(true);
  const save = useSaveWebhook();
  const remove = useDeleteWebhook();
  const [url, setUrl] = useState<string | null>(null);
  const [rotate, setRotate] = useState(false);
  const [touched, setTouched] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [removed, setRemoved] = useState(false);

  const current = q.data?.url ?? null;
  const value = url ?? current ?? '';
  const local = checkWebhookUrl(value);
  const urlKey =
    isApiError(save.error) && save.error.field === 'url' ? urlErrorKey(save.error.message) : null;
  const serverError =
    isApiError(save.error) && save.error.field === 'url'
      ? urlKey
        ? t(urlKey)
        : save.error.message
      : undefined;
  const fieldError = touched && local ? t(`notificationsPage.webhook.url.${local}`) : serverError;

  const submit = () => {
    setTouched(true);
    if (local) return;
    setRemoved(false);
    save.mutate(
      { url: value.trim(), ...(rotate ? { rotate_secret: true } : {}) },
      {
        onSuccess: (w) => {
          setSecret(w.secret ?? null);
          setUrl(null);
          setRotate(false);
          setTouched(false);
        },
      },
    );
  };

  const doRemove = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        setConfirmRemove(false);
        setRemoved(true);
        setSecret(null);
        setUrl(null);
      },
    });

  return (
    <Card data-testid="webhook-card">
      <CardHeader
        title={t('notificationsPage.webhook.title')}
        subtitle={t('notificationsPage.webhook.subtitle')}
      />
      {q.isPending ? (
        <Stack gap="10px" aria-label={t('common.loading')}>
          <Skeleton h="40px" />
          <Skeleton h="20px" w="60%" />
        </Stack>
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Stack gap="20px">
          {secret ? (
            <Alert.Root status="warning" borderRadius="12px" alignItems="flex-start">
              <Alert.Indicator />
              <Alert.Content gap="8px" data-testid="webhook-secret">
                <Alert.Title>{t('notificationsPage.webhook.secretTitle')}</Alert.Title>
                <Alert.Description>
                  <Text mb="8px">{t('notificationsPage.webhook.secretText')}</Text>
                  <CopyField
                    value={secret}
                    label={t('notificationsPage.webhook.secretLabel')}
                    labels={{
                      copy: t('notificationsPage.webhook.copy'),
                      copied: t('notificationsPage.webhook.copied'),
                      failed: t('notificationsPage.webhook.copyFailed'),
                    }}
                    testId="webhook-secret-field"
                  />
                  <Button
                    mt="8px"
                    size="sm"
                    variant="outline"
                    bg="white"
                    onClick={() => setSecret(null)}
                  >
                    {t('notificationsPage.webhook.secretSaved')}
                  </Button>
                </Alert.Description>
              </Alert.Content>
            </Alert.Root>
          ) : null}
          {removed && !current ? (
            <Alert.Root status="success" borderRadius="12px" role="status">
              <Alert.Indicator />
              <Alert.Title>{t('notificationsPage.webhook.removed')}</Alert.Title>
            </Alert.Root>
          ) : null}

          <Box>
            <Flex gap="8px" align="center" mb="10px" wrap="wrap">
              <Text fontSize="sm" fontWeight="bold" color="gray.700">
                {t('notificationsPage.webhook.state')}
              </Text>
              {current ? (
                <Badge
                  colorPalette="green"
                  variant="subtle"
                  borderRadius="badge"
                  textTransform="none"
                  data-testid="webhook-on"
                >
                  {t('notificationsPage.webhook.on')}
                </Badge>
              ) : (
                <Badge
                  colorPalette="gray"
                  variant="subtle"
                  borderRadius="badge"
                  textTransform="none"
                  data-testid="webhook-off"
                >
                  {t('notificationsPage.webhook.off')}
                </Badge>
              )}
            </Flex>
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                submit();
              }}
            >
              <Stack gap="12px">
                <FormField
                  label={t('notificationsPage.webhook.urlLabel')}
                  name="webhook-url"
                  type="url"
                  inputMode="url"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="https://example.com/crowdelic/webhook"
                  value={value}
                  onChange={(e) => {
                    setUrl(e.target.value);
                    if (save.isError) save.reset();
                  }}
                  onBlur={() => setTouched(true)}
                  error={fieldError}
                  helper={t('notificationsPage.webhook.urlHelp')}
                  data-testid="webhook-url"
                />
                {current ? (
                  <Box>
                    <Text fontSize="sm" color="gray.700">
                      {t('notificationsPage.webhook.secretLabel')}:{' '}
                      <Code data-testid="webhook-secret-masked">whsec_••••••••••••</Code>
                    </Text>
                    <Text fontSize="xs" color="fg.muted" mt="2px">
                      {t('notificationsPage.webhook.secretHidden')}
                    </Text>
                    <Checkbox.Root
                      mt="8px"
                      size="sm"
                      colorPalette="teal"
                      checked={rotate}
                      onCheckedChange={(e) => setRotate(e.checked === true)}
                    >
                      <Checkbox.HiddenInput />
                      <Checkbox.Control />
                      <Checkbox.Label fontSize="sm" color="gray.700">
                        {t('notificationsPage.webhook.rotate')}
                      </Checkbox.Label>
                    </Checkbox.Root>
                  </Box>
                ) : null}
                {save.isError && !serverError ? (
                  <ActionError error={save.error} onRetry={submit} />
                ) : null}
                <Flex gap="8px" wrap="wrap">
                  <Button
                    type="submit"
                    colorPalette="teal"
                    borderRadius="12px"
                    loading={save.isPending}
                    data-testid="webhook-save"
                  >
                    {current
                      ? t('notificationsPage.webhook.update')
                      : t('notificationsPage.webhook.save')}
                  </Button>
                  {current ? (
                    <Button
                      variant="outline"
                      colorPalette="red"
                      borderRadius="12px"
                      onClick={() => setConfirmRemove(true)}
                      data-testid="webhook-remove"
                    >
                      <TrashIcon boxSize="16px" />
                      {t('notificationsPage.webhook.remove')}
                    </Button>
                  ) : null}
                </Flex>
              </Stack>
            </form>
          </Box>

          <Box>
            <Text fontSize="sm" fontWeight="bold" color="gray.700" mb="4px">
              {t('notificationsPage.webhook.eventsTitle')}
            </Text>
            <Flex gap="6px" wrap="wrap" mb="6px">
              {NOTIFICATION_KINDS.map((k) => (
                <Badge key={k} variant="outline" borderRadius="badge" textTransform="none">
                  {notificationKindName(k, t)}
                </Badge>
              ))}
            </Flex>
            <Text fontSize="xs" color="fg.muted">
              {t('notificationsPage.webhook.eventsText')}
            </Text>
          </Box>

          {current || (q.data?.deliveries.length ?? 0) > 0 ? (
            <Box>
              <Flex justify="space-between" align="center" mb="8px" gap="8px" wrap="wrap">
                <Text fontSize="sm" fontWeight="bold" color="gray.700">
                  {t('notificationsPage.webhook.deliveriesTitle')}
                </Text>
                <Button
                  size="xs"
                  variant="ghost"
                  color="teal.700"
                  loading={q.isFetching}
                  onClick={() => void q.refetch()}
                >
                  {t('notificationsPage.webhook.refresh')}
                </Button>
              </Flex>
              <Deliveries deliveries={q.data?.deliveries ?? []} />
            </Box>
          ) : null}
        </Stack>
      )}
      {confirmRemove ? (
        <ConfirmDialog
          open
          onClose={() => setConfirmRemove(false)}
          title={t('notificationsPage.webhook.removeTitle')}
          confirmLabel={t('notificationsPage.webhook.removeConfirm')}
          cancelLabel={t('notificationsPage.webhook.cancel')}
          busy={remove.isPending}
          testId="webhook-remove-dialog"
          onConfirm={doRemove}
          error={remove.isError ? <ActionError error={remove.error} onRetry={doRemove} /> : null}
        >
          <Text>{t('notificationsPage.webhook.removeText', { url: current ?? '' })}</Text>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}
