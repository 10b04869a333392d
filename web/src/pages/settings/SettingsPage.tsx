/*
 * /settings - the workspace (its name, for admins), your profile, the API
 * keys (made with a name, the secret shown once, revoked with a confirm)
 * and the language model behind the simulations (the offline model said
 * plainly).
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Code,
  DataList,
  Field,
  Flex,
  Input,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@chakra-ui/react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { useMe } from '../../api/auth';
import { usePlans } from '../../api/billing';
import {
  useApiKeys,
  useCreateApiKey,
  useLlmStatusDetail,
  useRenameWorkspace,
  useRevokeApiKey,
  type ApiKey,
  type CreatedApiKey,
} from '../../api/settings';
import { useMembers } from '../../api/team';
import type { Me } from '../../api/types';
import { ActionError } from '../../components/ActionError';
import { OfflineModelBadge } from '../../components/Badges';
import { Card, CardHeader } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyField } from '../../components/CopyField';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { ChipIcon, KeyIcon } from '../../components/Icons';
import { stackedTable as S } from '../../components/stackedTable';
import { UpgradePrompt } from '../../components/UpgradePrompt';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import {
  KEY_NAME_MAX,
  WORKSPACE_NAME_MAX,
  canRevoke,
  checkName,
  firstPlanWithApi,
  modelHealth,
  settingsErrorMessage,
  sortKeys,
} from './settingsLogic';

function Skel({ rows = 3 }: { rows?: number }) {
  const { t } = useTranslation();
  return (
    <Stack gap="10px" aria-busy="true" aria-label={t('common.loading')}>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} h="32px" />
      ))}
    </Stack>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel color="fg.muted" fontSize="sm" minW="130px">
        {label}
      </DataList.ItemLabel>
      <DataList.ItemValue fontSize="sm" color="gray.700" fontWeight="medium" wordBreak="break-word">
        {children}
      </DataList.ItemValue>
    </DataList.Item>
  );
}

const copyLabels = (t: (k: string) => string) => ({
  copy: t('settings.copy.copy'),
  copied: t('settings.copy.copied'),
  failed: t('settings.copy.failed'),
});

/* ---------------------------------------------------------------- workspace */

function WorkspaceCard({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const isAdmin = me.user.role === 'admin';
  const rename = useRenameWorkspace();
  const current = me.workspace.name;
  const [name, setName] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // the name changed elsewhere (another tab, another admin): follow it unless being edited
  const [prev, setPrev] = useState(current);
  if (current !== prev) {
    setPrev(current);
    if (name.trim() === prev) setName(current);
  }

  const send = () =>
    rename.mutate(name.trim(), {
      onSuccess: (ws) => {
        setName(ws.name);
        setSaved(true);
      },
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = checkName(name, WORKSPACE_NAME_MAX, t);
    setProblem(p);
    setSaved(false);
    if (!p) send();
  };

  const apiMsg = rename.isError ? settingsErrorMessage(rename.error, t) : null;
  const byField = rename.isError && rename.error && apiMsg && isNameError(rename.error);
  const nameError = problem ?? (byField ? apiMsg : null);
  const unchanged = name.trim() === current;

  return (
    <Card id="workspace" data-testid="workspace-card">
      <CardHeader
        title={t('settings.workspace.title')}
        subtitle={t('settings.workspace.subtitle')}
      />
      <form onSubmit={submit} noValidate aria-label={t('settings.workspace.title')}>
        <Stack gap="12px">
          <Field.Root invalid={!!nameError} readOnly={!isAdmin}>
            <Field.Label fontSize="sm" color="gray.700">
              {t('settings.workspace.name')}
            </Field.Label>
            <Flex gap="8px" w="100%" direction={{ base: 'column', sm: 'row' }}>
              <Input
                name="workspace-name"
                value={name}
                maxLength={WORKSPACE_NAME_MAX + 20}
                onChange={(e) => {
                  setName(e.target.value);
                  setSaved(false);
                  setProblem(null);
                }}
                readOnly={!isAdmin}
                borderRadius="12px"
                bg={isAdmin ? 'white' : 'gray.50'}
                flex={{ base: 'none', sm: '1' }}
              />
              {isAdmin ? (
                <Button
                  type="submit"
                  colorPalette="teal"
                  borderRadius="12px"
                  loading={rename.isPending}
                  disabled={unchanged}
                >
                  {t('settings.workspace.save')}
                </Button>
              ) : null}
            </Flex>
            {nameError ? <Field.ErrorText>{nameError}</Field.ErrorText> : null}
            {!isAdmin ? (
              <Field.HelperText color="fg.muted">
                {t('settings.workspace.adminOnly')}
              </Field.HelperText>
            ) : null}
          </Field.Root>
          {saved ? (
            <Text role="status" fontSize="sm" color="green.700" data-testid="workspace-saved">
              {t('settings.workspace.saved')}
            </Text>
          ) : null}
          {rename.isError && !byField ? (
            <ActionError error={rename.error} message={apiMsg} onRetry={send} />
          ) : null}
        </Stack>
      </form>
      <DataList.Root orientation="horizontal" mt="20px" gap="10px" size="sm">
        <Item label={t('settings.workspace.plan')}>
          <Flex gap="8px" align="center" wrap="wrap">
            <Badge colorPalette="teal" variant="subtle" borderRadius="badge" textTransform="none">
              {t(`plans.${me.workspace.plan_type}`)}
            </Badge>
            <RouterLink to="/billing">
              <Text as="span" color="teal.700" fontWeight="bold" fontSize="sm">
                {t('usage.managePlan')}
              </Text>
            </RouterLink>
          </Flex>
        </Item>
        <Item label={t('settings.workspace.period')}>
          {t('settings.workspace.periodValue', {
            from: formatDate(me.workspace.current_period_start, lng),
            to: formatDate(me.workspace.current_period_end, lng),
          })}
        </Item>
        <Item label={t('settings.workspace.created')}>
          {formatDate(me.workspace.created_at, lng)}
        </Item>
        <Item label={t('settings.workspace.id')}>
          <Code fontSize="xs" bg="gray.50" wordBreak="break-all">
            {me.workspace.id}
          </Code>
        </Item>
      </DataList.Root>
    </Card>
  );
}

function isNameError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: string }).code === 'invalid_request' &&
    (err as { field?: string }).field === 'name'
  );
}

/* ---------------------------------------------------------------- profile */

function ProfileCard({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <Card id="profile" data-testid="profile-card">
      <CardHeader title={t('settings.profile.title')} subtitle={t('settings.profile.subtitle')} />
      <DataList.Root orientation="horizontal" gap="10px" size="sm">
        <Item label={t('settings.profile.email')}>{me.user.email}</Item>
        <Item label={t('settings.profile.company')}>
          {me.user.company || (
            <Text as="span" color="fg.muted" fontWeight="normal">
              {t('settings.profile.none')}
            </Text>
          )}
        </Item>
        <Item label={t('settings.profile.role')}>
          <Badge
            colorPalette={me.user.role === 'admin' ? 'purple' : 'gray'}
            variant="subtle"
            borderRadius="badge"
            textTransform="none"
          >
            {t(`settings.role.${me.user.role}`)}
          </Badge>
        </Item>
        <Item label={t('settings.profile.since')}>{formatDate(me.user.created_at, lng)}</Item>
        <Item label={t('settings.profile.quota')}>
          {t('settings.profile.quotaValue', {
            count: me.user.api_quota,
            formatted: formatNumber(me.user.api_quota, lng),
          })}
        </Item>
      </DataList.Root>
      <Text fontSize="xs" color="fg.muted" mt="16px">
        {t('settings.profile.note')}
      </Text>
    </Card>
  );
}

/* ---------------------------------------------------------------- API keys */

function SecretPanel({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Box
      borderRadius="12px"
      border="1px solid"
      borderColor="orange.300"
      bg="orange.50"
      p="16px"
      mb="16px"
      data-testid="api-key-secret"
    >
      <Alert.Root status="warning" bg="transparent" p={0} mb="12px" role="status">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>{t('settings.keys.secretTitle', { name: created.name })}</Alert.Title>
          <Alert.Description>{t('settings.keys.secretWarning')}</Alert.Description>
        </Alert.Content>
      </Alert.Root>
      <CopyField
        testId="api-key-value"
        label={t('settings.keys.secretLabel')}
        value={created.key}
        labels={copyLabels(t)}
      />
      <Text fontSize="xs" color="gray.700" mt="8px">
        {t('settings.keys.usage')}{' '}
        <Code fontSize="xs" bg="white">
          Authorization: Bearer {created.prefix}…
        </Code>
      </Text>
      <Button size="sm" mt="12px" variant="outline" bg="white" onClick={onDone}>
        {t('settings.keys.secretDone')}
      </Button>
    </Box>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (k: CreatedApiKey) => void }) {
  const { t } = useTranslation();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const send = () =>
    create.mutate(name.trim(), {
      onSuccess: (k) => {
        onCreated(k);
        setName('');
      },
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = checkName(name, KEY_NAME_MAX, t);
    setProblem(p);
    if (!p) send();
  };
  const apiMsg = create.isError ? settingsErrorMessage(create.error, t) : null;
  const byField = create.isError && isNameError(create.error);
  const nameError = problem ?? (byField ? (apiMsg ?? create.error.message) : null);

  return (
    <form onSubmit={submit} noValidate aria-label={t('settings.keys.create')}>
      <Stack gap="10px" mb="16px">
        <Field.Root invalid={!!nameError}>
          <Field.Label fontSize="sm" color="gray.700">
            {t('settings.keys.name')}
          </Field.Label>
          <Flex gap="8px" w="100%" direction={{ base: 'column', sm: 'row' }}>
            <Input
              name="key-name"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setProblem(null);
                if (create.isError) create.reset();
              }}
              placeholder={t('settings.keys.namePlaceholder')}
              borderRadius="12px"
              bg="white"
              flex={{ base: 'none', sm: '1' }}
              maxW={{ sm: '420px' }}
            />
            <Button
              type="submit"
              colorPalette="teal"
              borderRadius="12px"
              loading={create.isPending}
            >
              <KeyIcon boxSize="16px" />
              {t('settings.keys.create')}
            </Button>
          </Flex>
          {nameError ? (
            <Field.ErrorText>{nameError}</Field.ErrorText>
          ) : (
            <Field.HelperText color="fg.muted">{t('settings.keys.nameHelper')}</Field.HelperText>
          )}
        </Field.Root>
        {create.isError && !byField ? (
          <ActionError error={create.error} message={apiMsg} onRetry={send} />
        ) : null}
      </Stack>
    </form>
  );
}

function ApiKeysCard({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const isAdmin = me.user.role === 'admin';
  const keys = useApiKeys();
  const members = useMembers();
  const revoke = useRevokeApiKey();
  const hasApi = me.plan.api_access;
  const plans = usePlans();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const emailOf = (id: string) =>
    id === me.user.id
      ? t('settings.keys.byYou')
      : (members.data?.find((m) => m.id === id)?.email ?? t('settings.keys.byFormer'));

  const list = keys.data ? sortKeys(keys.data) : [];
  const live = list.filter((k) => !k.revoked_at).length;
  const apiPlan = firstPlanWithApi(plans.data);

  return (
    <Card id="api-keys" data-testid="api-keys-card">
      <CardHeader
        title={t('settings.keys.title')}
        subtitle={
          keys.data ? t('settings.keys.count', { count: live }) : t('settings.keys.subtitle')
        }
      />
      {!hasApi ? (
        <Box mb="16px">
          <UpgradePrompt
            testId="api-keys-upgrade"
            title={t('settings.keys.gateTitle', { plan: t(`plans.${me.workspace.plan_type}`) })}
            text={
              apiPlan
                ? t('settings.keys.gateTextPlan', { plan: t(`plans.${apiPlan}`) })
                : t('settings.keys.gateText')
            }
            actionLabel={t('actions.upgrade')}
          />
        </Box>
      ) : created ? (
        <SecretPanel
          created={created}
          onDone={() => {
            setCreated(null);
            // it may have been used meanwhile: show its "last used"
            void keys.refetch();
          }}
        />
      ) : (
        <CreateKeyForm onCreated={setCreated} />
      )}

      {keys.isPending ? (
        <Skel rows={2} />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState
          icon={<KeyIcon boxSize="26px" />}
          title={t('settings.keys.emptyTitle')}
          description={hasApi ? t('settings.keys.emptyText') : t('settings.keys.emptyTextGated')}
        />
      ) : (
        <Table.ScrollArea position="relative">
          <Table.Root size="sm" variant="line" data-testid="api-keys-table" {...S.root}>
            <Table.Header {...S.header}>
              <Table.Row>
                {['name', 'key', 'owner', 'created', 'lastUsed', 'status'].map((c, i) => (
                  <Table.ColumnHeader
                    key={c}
                    ps={i === 0 ? 0 : undefined}
                    color="fg.muted"
                    textTransform="uppercase"
                    fontSize="xs"
                    whiteSpace="nowrap"
                  >
                    {t(`settings.keys.col.${c}`)}
                  </Table.ColumnHeader>
                ))}
                <Table.ColumnHeader>
                  <Box srOnly>{t('settings.keys.col.actions')}</Box>
                </Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body {...S.body}>
              {list.map((k) => (
                <Table.Row
                  key={k.id}
                  data-testid="api-key-row"
                  data-name={k.name}
                  color={k.revoked_at ? 'fg.muted' : undefined}
                  {...S.row}
                >
                  <Table.Cell
                    {...S.cell}
                    {...S.firstCell}
                    fontWeight="bold"
                    minW="120px"
                    wordBreak="break-word"
                  >
                    {k.name}
                  </Table.Cell>
                  <Table.Cell {...S.cell}>
                    <Code fontSize="xs" bg="gray.50" whiteSpace="nowrap">
                      {k.prefix}…
                    </Code>
                  </Table.Cell>
                  <Table.Cell {...S.cell} fontSize="sm" wordBreak="break-all" minW="120px">
                    <Box as="span" hideFrom="md" color="fg.muted">
                      {t('settings.keys.col.owner')}:{' '}
                    </Box>
                    {emailOf(k.user_id)}
                  </Table.Cell>
                  <Table.Cell {...S.cell} whiteSpace="nowrap" color="fg.muted" hideBelow="md">
                    {formatDate(k.created_at, lng)}
                  </Table.Cell>
                  <Table.Cell {...S.cell} whiteSpace="nowrap" color="fg.muted" fontSize="sm">
                    <Box as="span" hideFrom="md">
                      {t('settings.keys.col.lastUsed')}:{' '}
                    </Box>
                    {k.last_used_at
                      ? formatDateTime(k.last_used_at, lng)
                      : t('settings.keys.never')}
                  </Table.Cell>
                  <Table.Cell {...S.cell} whiteSpace="nowrap">
                    {k.revoked_at ? (
                      <Badge
                        colorPalette="gray"
                        variant="subtle"
                        borderRadius="badge"
                        textTransform="none"
                      >
                        {t('settings.keys.revokedOn', { date: formatDate(k.revoked_at, lng) })}
                      </Badge>
                    ) : (
                      <Badge
                        colorPalette="green"
                        variant="subtle"
                        borderRadius="badge"
                        textTransform="none"
                      >
                        {t('settings.keys.active')}
                      </Badge>
                    )}
                  </Table.Cell>
                  <Table.Cell {...S.cell} {...S.actionsCell} textAlign="end">
                    {canRevoke(k, me.user.id, isAdmin) ? (
                      <Button
                        size="xs"
                        variant="ghost"
                        colorPalette="red"
                        aria-label={t('settings.keys.revokeOne', { name: k.name })}
                        onClick={() => {
                          revoke.reset();
                          setRevoking(k);
                        }}
                      >
                        {t('settings.keys.revoke')}
                      </Button>
                    ) : null}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      )}

      <ConfirmDialog
        testId="revoke-key-dialog"
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={t('settings.keys.revokeTitle', { name: revoking?.name ?? '' })}
        confirmLabel={t('settings.keys.revokeConfirm')}
        cancelLabel={t('settings.cancel')}
        busy={revoke.isPending}
        onConfirm={() => {
          if (revoking)
            revoke.mutate(revoking.id, {
              onSuccess: () => {
                if (created?.id === revoking.id) setCreated(null);
                setRevoking(null);
              },
            });
        }}
        error={
          revoke.isError ? (
            <ActionError error={revoke.error} message={settingsErrorMessage(revoke.error, t)} />
          ) : null
        }
      >
        <Text>{t('settings.keys.revokeText')}</Text>
      </ConfirmDialog>
    </Card>
  );
}

/* ---------------------------------------------------------------- model */

const HEALTH_PALETTE = { ok: 'green', unreachable: 'red', unavailable: 'red' } as const;

function CallStat({ label, value }: { label: string; value: number | undefined }) {
  const { i18n } = useTranslation();
  return (
    <Box bg="gray.50" borderRadius="12px" px="12px" py="10px">
      <Text fontSize="xs" color="fg.muted" fontWeight="bold">
        {label}
      </Text>
      <Text fontSize="lg" fontWeight="bold" color="gray.700">
        {value === undefined ? '—' : formatNumber(value, i18n.language)}
      </Text>
    </Box>
  );
}

function ModelCard() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const q = useLlmStatusDetail();
  const s = q.data;
  const health = s ? modelHealth(s) : null;
  return (
    <Card id="model" data-testid="model-card">
      <CardHeader
        title={t('settings.model.title')}
        subtitle={t('settings.model.subtitle')}
        actions={
          <>
            <OfflineModelBadge />
            <Button
              size="sm"
              variant="outline"
              borderRadius="12px"
              loading={q.isFetching && !q.isPending}
              onClick={() => void q.refetch()}
            >
              {t('settings.model.check')}
            </Button>
          </>
        }
      />
      {q.isPending ? (
        <Skel rows={3} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Stack gap="16px">
          {s!.provider === 'offline' ? (
            <Alert.Root status="warning" borderRadius="12px" data-testid="model-offline-note">
              <Alert.Indicator>
                <ChipIcon />
              </Alert.Indicator>
              <Alert.Content>
                <Alert.Title>{t('settings.model.offlineTitle')}</Alert.Title>
                <Alert.Description>{t('settings.model.offlineText')}</Alert.Description>
              </Alert.Content>
            </Alert.Root>
          ) : null}
          <SimpleGrid columns={{ base: 1, md: 2 }} gap="16px">
            <DataList.Root orientation="horizontal" gap="10px" size="sm">
              <Item label={t('settings.model.provider')}>
                <span data-testid="model-provider">
                  {t(`settings.model.providers.${s!.provider}`)}
                </span>
              </Item>
              <Item label={t('settings.model.model')}>
                <Code fontSize="xs" bg="gray.50" data-testid="model-name">
                  {s!.model}
                </Code>
              </Item>
              <Item label={t('settings.model.health')}>
                <Badge
                  colorPalette={HEALTH_PALETTE[health!]}
                  variant="subtle"
                  borderRadius="badge"
                  textTransform="none"
                  data-testid="model-health"
                >
                  {t(`settings.model.healthValue.${health!}`)}
                </Badge>
              </Item>
              <Item label={t('settings.model.checked')}>
                {s!.checked_at
                  ? formatDateTime(s!.checked_at, lng)
                  : t('settings.model.notChecked')}
              </Item>
              {s!.error ? (
                <Item label={t('settings.model.error')}>
                  <Text as="span" color="red.700">
                    {s!.error}
                  </Text>
                </Item>
              ) : null}
              <Item label={t('settings.model.lastCall')}>
                {s!.last_call
                  ? t(
                      s!.last_call.ok
                        ? 'settings.model.lastCallOk'
                        : 'settings.model.lastCallFailed',
                      {
                        date: formatDateTime(s!.last_call.at, lng),
                        error: s!.last_call.error ?? '',
                      },
                    )
                  : t('settings.model.noCalls')}
              </Item>
            </DataList.Root>
            <Box>
              <Text fontSize="sm" fontWeight="bold" color="gray.700" mb="8px">
                {t('settings.model.calls')}
              </Text>
              <SimpleGrid columns={2} gap="8px">
                <CallStat label={t('settings.model.completed')} value={s!.calls?.completed} />
                <CallStat label={t('settings.model.failed')} value={s!.calls?.failed} />
                <CallStat label={t('settings.model.inFlight')} value={s!.calls?.in_flight} />
                <CallStat label={t('settings.model.queued')} value={s!.calls?.queued} />
              </SimpleGrid>
              <Text fontSize="xs" color="fg.muted" mt="8px">
                {t('settings.model.callsNote')}
              </Text>
            </Box>
          </SimpleGrid>
        </Stack>
      )}
    </Card>
  );
}

/* ---------------------------------------------------------------- the page */

export default function SettingsPage() {
  const me = useMe();
  if (me.isPending)
    return (
      <SimpleGrid columns={{ base: 1, lg: 2 }} gap="24px">
        <Card>
          <Skel rows={4} />
        </Card>
        <Card>
          <Skel rows={4} />
        </Card>
      </SimpleGrid>
    );
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  return (
    <Stack gap="24px">
      <SimpleGrid columns={{ base: 1, lg: 2 }} gap="24px" alignItems="start">
        <WorkspaceCard me={me.data} />
        <ProfileCard me={me.data} />
      </SimpleGrid>
      <ApiKeysCard me={me.data} />
      <ModelCard />
    </Stack>
  );
}
