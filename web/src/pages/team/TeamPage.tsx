/*
 * /team - the workspace's members and invitations. Admins invite by email
 * (with a role), get the link to send, change roles, remove members and
 * withdraw invitations; everyone else sees the list read-only. The plan's
 * seats (members and open invitations) are shown, and a full team gets an
 * upgrade prompt in place of the invite form.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Input,
  NativeSelect,
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
import { fieldErrors } from '../../api/errors';
import {
  useCreateInvite,
  useInvites,
  useMembers,
  useRemoveMember,
  useRevokeInvite,
  useSetMemberRole,
  type CreatedInvite,
  type Invite,
  type Role,
} from '../../api/team';
import type { User } from '../../api/types';
import { ActionError } from '../../components/ActionError';
import { Card, CardHeader } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyField } from '../../components/CopyField';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { TeamIcon, TrashIcon } from '../../components/Icons';
import { stackedTable as S } from '../../components/stackedTable';
import { UpgradePrompt } from '../../components/UpgradePrompt';
import { UsageMeter } from '../../components/UsageMeter';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import {
  adminsOf,
  firstTeamPlan,
  inviteLink,
  looksLikeEmail,
  openInviteFor,
  seats,
  sortInvites,
  teamErrorMessage,
} from './teamLogic';

const ROLES: Role[] = ['user', 'admin'];

const INVITE_PALETTE = { open: 'blue', accepted: 'green', expired: 'gray' } as const;

function TableSkeleton({ rows = 3 }: { rows?: number }) {
  const { t } = useTranslation();
  return (
    <Stack gap="10px" aria-busy="true" aria-label={t('common.loading')}>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} h="40px" />
      ))}
    </Stack>
  );
}

function Th({ children, ps }: { children?: ReactNode; ps?: number }) {
  return (
    <Table.ColumnHeader
      color="fg.muted"
      textTransform="uppercase"
      fontSize="xs"
      ps={ps}
      whiteSpace="nowrap"
    >
      {children}
    </Table.ColumnHeader>
  );
}

function RoleBadge({ role }: { role: Role }) {
  const { t } = useTranslation();
  return (
    <Badge
      colorPalette={role === 'admin' ? 'purple' : 'gray'}
      variant="subtle"
      borderRadius="badge"
      textTransform="none"
      px="8px"
    >
      {t(`team.role.${role}`)}
    </Badge>
  );
}

/* ---------------------------------------------------------------- members */

function MembersCard({
  me,
  isAdmin,
  adminCount,
}: {
  me: User;
  isAdmin: boolean;
  adminCount: number;
}) {
  const { t, i18n } = useTranslation();
  const members = useMembers();
  const setRole = useSetMemberRole();
  const remove = useRemoveMember();
  const [roleError, setRoleError] = useState<{ error: unknown; retry: () => void } | null>(null);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [removing, setRemoving] = useState<User | null>(null);
  const [demoteSelf, setDemoteSelf] = useState(false);

  const changeRole = (m: User, role: Role) => {
    const run = () => {
      setRoleError(null);
      setPendingId(m.id);
      setRole.mutate(
        { id: m.id, role },
        {
          onError: (error) => setRoleError({ error, retry: run }),
          onSettled: () => setPendingId(null),
        },
      );
    };
    run();
  };

  const onRoleSelect = (m: User, role: Role) => {
    if (role === m.role) return;
    // giving up one's own admin role ends one's say over the team: ask first
    if (m.id === me.id && role !== 'admin' && adminCount > 1) {
      setDemoteSelf(true);
      return;
    }
    changeRole(m, role);
  };

  return (
    <Card data-testid="members-card">
      <CardHeader
        title={t('team.members.title')}
        subtitle={
          members.data
            ? t('team.members.count', {
                count: members.data.length,
                formatted: formatNumber(members.data.length, i18n.language),
              })
            : t('team.members.subtitle')
        }
      />
      {roleError ? (
        <Box mb="12px">
          <ActionError
            testId="role-error"
            error={roleError.error}
            message={teamErrorMessage(roleError.error, t)}
            onRetry={roleError.retry}
            onDismiss={() => setRoleError(null)}
            dismissLabel={t('team.dismiss')}
          />
        </Box>
      ) : null}
      {members.isPending ? (
        <TableSkeleton />
      ) : members.isError ? (
        <ErrorState error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <Table.ScrollArea position="relative">
          <Table.Root size="sm" variant="line" data-testid="members-table" {...S.root}>
            <Table.Header {...S.header}>
              <Table.Row>
                <Th ps={0}>{t('team.members.member')}</Th>
                <Th>{t('team.members.role')}</Th>
                <Th>{t('team.members.joined')}</Th>
                {isAdmin ? (
                  <Th>
                    <Box srOnly>{t('team.members.actions')}</Box>
                  </Th>
                ) : null}
              </Table.Row>
            </Table.Header>
            <Table.Body {...S.body}>
              {members.data.map((m) => {
                const self = m.id === me.id;
                return (
                  <Table.Row key={m.id} data-testid="member-row" data-email={m.email} {...S.row}>
                    <Table.Cell {...S.cell} {...S.firstCell} minW="200px">
                      <Flex align="center" gap="8px" wrap="wrap">
                        <Text fontWeight="bold" color="gray.700" wordBreak="break-all">
                          {m.email}
                        </Text>
                        {self ? (
                          <Badge
                            colorPalette="teal"
                            variant="subtle"
                            borderRadius="badge"
                            textTransform="none"
                          >
                            {t('team.members.you')}
                          </Badge>
                        ) : null}
                      </Flex>
                      {m.company ? (
                        <Text fontSize="xs" color="fg.muted">
                          {m.company}
                        </Text>
                      ) : null}
                    </Table.Cell>
                    <Table.Cell {...S.cell}>
                      {isAdmin ? (
                        <NativeSelect.Root size="sm" width="170px" disabled={pendingId === m.id}>
                          <NativeSelect.Field
                            aria-label={t('team.members.roleOf', { email: m.email })}
                            data-testid="member-role"
                            value={m.role}
                            onChange={(e) => onRoleSelect(m, e.target.value as Role)}
                            borderRadius="12px"
                          >
                            {ROLES.map((r) => (
                              <option key={r} value={r}>
                                {t(`team.role.${r}`)}
                              </option>
                            ))}
                          </NativeSelect.Field>
                          <NativeSelect.Indicator />
                        </NativeSelect.Root>
                      ) : (
                        <RoleBadge role={m.role} />
                      )}
                    </Table.Cell>
                    <Table.Cell {...S.cell} color="fg.muted" whiteSpace="nowrap" fontSize="sm">
                      <Box as="span" hideFrom="md">
                        {t('team.members.joinedOn')}{' '}
                      </Box>
                      {formatDate(m.created_at, i18n.language)}
                    </Table.Cell>
                    {isAdmin ? (
                      <Table.Cell {...S.cell} {...S.actionsCell} textAlign="end">
                        {self ? null : (
                          <Button
                            size="xs"
                            variant="ghost"
                            colorPalette="red"
                            aria-label={t('team.members.removeOne', { email: m.email })}
                            onClick={() => {
                              remove.reset();
                              setRemoving(m);
                            }}
                          >
                            <TrashIcon boxSize="14px" />
                            {t('team.members.remove')}
                          </Button>
                        )}
                      </Table.Cell>
                    ) : null}
                  </Table.Row>
                );
              })}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      )}

      <ConfirmDialog
        testId="remove-member-dialog"
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('team.members.removeTitle', { email: removing?.email ?? '' })}
        confirmLabel={t('team.members.removeConfirm')}
        cancelLabel={t('team.cancel')}
        busy={remove.isPending}
        onConfirm={() => {
          if (removing)
            remove.mutate(removing.id, {
              onSuccess: () => setRemoving(null),
            });
        }}
        error={
          remove.isError ? (
            <ActionError error={remove.error} message={teamErrorMessage(remove.error, t)} />
          ) : null
        }
      >
        <Text>{t('team.members.removeText')}</Text>
      </ConfirmDialog>

      <ConfirmDialog
        testId="demote-self-dialog"
        open={demoteSelf}
        onClose={() => setDemoteSelf(false)}
        title={t('team.members.demoteSelfTitle')}
        confirmLabel={t('team.members.demoteSelfConfirm')}
        cancelLabel={t('team.cancel')}
        onConfirm={() => {
          setDemoteSelf(false);
          changeRole(me, 'user');
        }}
      >
        <Text>{t('team.members.demoteSelfText')}</Text>
      </ConfirmDialog>
    </Card>
  );
}

/* ---------------------------------------------------------------- seats */

function SeatsCard() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  if (me.isPending)
    return (
      <Card>
        <TableSkeleton rows={2} />
      </Card>
    );
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} compact />;
  const m = me.data.usage.members;
  const plan = t(`plans.${me.data.workspace.plan_type}`);
  return (
    <Card data-testid="seats-card">
      <CardHeader title={t('team.seats.title')} subtitle={t('team.seats.subtitle', { plan })} />
      <UsageMeter label={t('usage.meters.members')} meter={m} />
      <Text fontSize="sm" color="fg.muted" mt="12px">
        {m.limit === null
          ? t('team.seats.unlimited')
          : t('team.seats.limit', {
              count: m.limit,
              formatted: formatNumber(m.limit, i18n.language),
              plan,
            })}
      </Text>
      {m.pending_invites ? (
        <Text fontSize="sm" color="fg.muted" mt="4px">
          {t('usage.pendingInvites', { count: m.pending_invites })}
        </Text>
      ) : null}
      <Button
        asChild
        variant="outline"
        size="sm"
        alignSelf="flex-start"
        mt="14px"
        borderRadius="12px"
      >
        <RouterLink to="/billing">{t('usage.managePlan')}</RouterLink>
      </Button>
    </Card>
  );
}

/* ---------------------------------------------------------------- invites */

function InviteForm({
  invites,
  onCreated,
}: {
  invites: Invite[] | undefined;
  onCreated: (inv: CreatedInvite) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateInvite();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [missing, setMissing] = useState<string | null>(null);

  const send = () =>
    create.mutate(
      { email: email.trim(), role },
      {
        onSuccess: (inv) => {
          onCreated(inv);
          setEmail('');
          setRole('user');
        },
      },
    );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = email.trim();
    const problem = !v
      ? t('team.invite.emailRequired')
      : !looksLikeEmail(v)
        ? t('errors.email.invalid')
        : null;
    setMissing(problem);
    if (!problem) send();
  };

  const byField = fieldErrors(create.error, t, ['email', 'role']);
  const conflict = isEmailConflict(create.error) ? teamErrorMessage(create.error, t) : null;
  const emailError = missing ?? conflict ?? byField.email;
  const general = create.isError && !byField.email && !byField.role && !conflict;
  const replaces = openInviteFor(invites, email);

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={t('team.invite.title')}
      data-testid="invite-form"
    >
      <Stack gap="12px">
        <Field.Root invalid={!!emailError} required>
          <Field.Label fontSize="sm" color="gray.700">
            {t('team.invite.email')}
            <Field.RequiredIndicator />
          </Field.Label>
          <Input
            name="email"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              setMissing(null);
              if (create.isError) create.reset();
            }}
            placeholder={t('team.invite.emailPlaceholder')}
            borderRadius="12px"
            bg="white"
          />
          {emailError ? <Field.ErrorText>{emailError}</Field.ErrorText> : null}
          {!emailError && replaces ? (
            <Field.HelperText color="orange.700" data-testid="invite-replaces">
              {t('team.invite.replaces', { email: replaces.email })}
            </Field.HelperText>
          ) : null}
        </Field.Root>
        <Field.Root invalid={!!byField.role}>
          <Field.Label fontSize="sm" color="gray.700">
            {t('team.invite.role')}
          </Field.Label>
          <NativeSelect.Root>
            <NativeSelect.Field
              name="role"
              value={role}
              onChange={(e) => setRole(e.target.value as Role)}
              borderRadius="12px"
              bg="white"
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`team.role.${r}`)}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
          <Field.HelperText color="fg.muted">{t(`team.roleHint.${role}`)}</Field.HelperText>
          {byField.role ? <Field.ErrorText>{byField.role}</Field.ErrorText> : null}
        </Field.Root>
        {general ? (
          <ActionError
            testId="invite-error"
            error={create.error}
            message={teamErrorMessage(create.error, t)}
            onRetry={send}
          />
        ) : null}
        <Button
          type="submit"
          colorPalette="teal"
          loading={create.isPending}
          alignSelf="flex-start"
          borderRadius="12px"
        >
          {t('team.invite.submit')}
        </Button>
      </Stack>
    </form>
  );
}

function isEmailConflict(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: string }).code === 'conflict' &&
    (err as { field?: string }).field === 'email'
  );
}

function InviteCard({
  invites,
  onCreated,
}: {
  invites: Invite[] | undefined;
  onCreated: (inv: CreatedInvite) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const meter = me.data?.usage.members;
  const { full } = seats(meter);
  const plan = me.data ? t(`plans.${me.data.workspace.plan_type}`) : '';
  const openCount = meter?.pending_invites ?? 0;
  const solo = meter?.limit != null && meter.limit <= 1;
  const plans = usePlans();
  const teamPlan = solo ? firstTeamPlan(plans.data) : null;
  return (
    <Card data-testid="invite-card">
      <CardHeader title={t('team.invite.title')} subtitle={t('team.invite.subtitle')} />
      {me.isPending ? (
        <TableSkeleton rows={2} />
      ) : full && meter?.limit != null ? (
        <UpgradePrompt
          testId="team-upgrade"
          title={
            solo
              ? t('team.upgrade.soloTitle', { plan })
              : t('team.upgrade.fullTitle', { count: meter.limit })
          }
          text={
            <>
              {solo
                ? teamPlan
                  ? t('team.upgrade.soloTextPlan', { plan: t(`plans.${teamPlan}`) })
                  : t('team.upgrade.soloText')
                : t('team.upgrade.fullText', { count: meter.limit, plan })}
              {openCount > 0 ? ` ${t('team.upgrade.orWithdraw', { count: openCount })}` : ''}
            </>
          }
          actionLabel={t('actions.upgrade')}
        />
      ) : (
        <InviteForm invites={invites} onCreated={onCreated} />
      )}
    </Card>
  );
}

function CreatedInvitePanel({ invite, onDone }: { invite: CreatedInvite; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const link = inviteLink(window.location.origin, invite.token);
  return (
    <Box
      borderRadius="12px"
      bg="teal.50"
      border="1px solid"
      borderColor="teal.200"
      p="16px"
      mb="16px"
      data-testid="invite-created"
      role="status"
    >
      <Text fontWeight="bold" color="gray.700">
        {t('team.created.title', { email: invite.email })}
      </Text>
      <Text fontSize="sm" color="gray.700" mb="12px">
        {t('team.created.text', {
          date: formatDateTime(invite.expires_at, i18n.language),
          role: t(`team.role.${invite.role}`),
        })}
      </Text>
      <CopyField
        testId="invite-link"
        label={t('team.created.linkLabel')}
        value={link}
        labels={{
          copy: t('team.copy.copy'),
          copied: t('team.copy.copied'),
          failed: t('team.copy.failed'),
        }}
      />
      <Text fontSize="xs" color="fg.muted" mt="8px">
        {t('team.created.once')}
      </Text>
      <Button size="xs" variant="ghost" mt="6px" onClick={onDone}>
        {t('team.created.done')}
      </Button>
    </Box>
  );
}

function InvitesCard({
  invites,
  created,
  setCreated,
}: {
  invites: ReturnType<typeof useInvites>;
  created: CreatedInvite | null;
  setCreated: (inv: CreatedInvite | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const revoke = useRevokeInvite();
  const resend = useCreateInvite();
  const [revoking, setRevoking] = useState<Invite | null>(null);
  const [resendError, setResendError] = useState<{ error: unknown; retry: () => void } | null>(
    null,
  );
  const [resendingId, setResendingId] = useState<string | null>(null);

  const newLink = (inv: Invite) => {
    const run = () => {
      setResendError(null);
      setResendingId(inv.id);
      resend.mutate(
        { email: inv.email, role: inv.role },
        {
          onSuccess: (c) => setCreated(c),
          onError: (error) => setResendError({ error, retry: run }),
          onSettled: () => setResendingId(null),
        },
      );
    };
    run();
  };

  const list = invites.data ? sortInvites(invites.data) : [];

  return (
    <Card data-testid="invites-card">
      <CardHeader
        title={t('team.invites.title')}
        subtitle={
          invites.data
            ? t('team.invites.count', {
                count: invites.data.filter((i) => i.status === 'open').length,
              })
            : t('team.invites.subtitle')
        }
      />
      {created ? <CreatedInvitePanel invite={created} onDone={() => setCreated(null)} /> : null}
      {resendError ? (
        <Box mb="12px">
          <ActionError
            error={resendError.error}
            message={teamErrorMessage(resendError.error, t)}
            onRetry={resendError.retry}
            onDismiss={() => setResendError(null)}
            dismissLabel={t('team.dismiss')}
          />
        </Box>
      ) : null}
      {invites.isPending ? (
        <TableSkeleton rows={2} />
      ) : invites.isError ? (
        <ErrorState error={invites.error} onRetry={() => void invites.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState
          icon={<TeamIcon boxSize="26px" />}
          title={t('team.invites.emptyTitle')}
          description={t('team.invites.emptyText')}
        />
      ) : (
        <Table.ScrollArea position="relative">
          <Table.Root size="sm" variant="line" data-testid="invites-table" {...S.root}>
            <Table.Header {...S.header}>
              <Table.Row>
                <Th ps={0}>{t('team.invites.email')}</Th>
                <Th>{t('team.invites.role')}</Th>
                <Th>{t('team.invites.status')}</Th>
                <Th>{t('team.invites.sent')}</Th>
                <Th>{t('team.invites.until')}</Th>
                <Th>
                  <Box srOnly>{t('team.members.actions')}</Box>
                </Th>
              </Table.Row>
            </Table.Header>
            <Table.Body {...S.body}>
              {list.map((inv) => (
                <Table.Row key={inv.id} data-testid="invite-row" data-email={inv.email} {...S.row}>
                  <Table.Cell
                    {...S.cell}
                    {...S.firstCell}
                    fontWeight="bold"
                    minW="180px"
                    wordBreak="break-all"
                  >
                    {inv.email}
                  </Table.Cell>
                  <Table.Cell {...S.cell}>
                    <RoleBadge role={inv.role} />
                  </Table.Cell>
                  <Table.Cell {...S.cell}>
                    <Badge
                      colorPalette={INVITE_PALETTE[inv.status]}
                      variant="subtle"
                      borderRadius="badge"
                      textTransform="none"
                      px="8px"
                    >
                      {t(`team.inviteStatus.${inv.status}`)}
                    </Badge>
                  </Table.Cell>
                  <Table.Cell {...S.cell} color="fg.muted" whiteSpace="nowrap" hideBelow="md">
                    {formatDate(inv.created_at, i18n.language)}
                  </Table.Cell>
                  <Table.Cell {...S.cell} color="fg.muted" whiteSpace="nowrap" fontSize="sm">
                    {inv.status !== 'accepted' ? (
                      <Box as="span" hideFrom="md">
                        {t('team.invites.until')}{' '}
                      </Box>
                    ) : null}
                    {inv.status === 'accepted' && inv.accepted_at
                      ? t('team.invites.acceptedOn', {
                          date: formatDate(inv.accepted_at, i18n.language),
                        })
                      : formatDate(inv.expires_at, i18n.language)}
                  </Table.Cell>
                  <Table.Cell {...S.cell} {...S.actionsCell} textAlign="end">
                    {inv.status === 'accepted' ? null : (
                      <Flex gap="4px" justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="ghost"
                          color="teal.700"
                          loading={resendingId === inv.id}
                          onClick={() => newLink(inv)}
                          title={t('team.invites.newLinkHint')}
                        >
                          {t('team.invites.newLink')}
                        </Button>
                        <Button
                          size="xs"
                          variant="ghost"
                          colorPalette="red"
                          aria-label={t('team.invites.revokeOne', { email: inv.email })}
                          onClick={() => {
                            revoke.reset();
                            setRevoking(inv);
                          }}
                        >
                          {t('team.invites.revoke')}
                        </Button>
                      </Flex>
                    )}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      )}

      <ConfirmDialog
        testId="revoke-invite-dialog"
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={t('team.invites.revokeTitle', { email: revoking?.email ?? '' })}
        confirmLabel={t('team.invites.revokeConfirm')}
        cancelLabel={t('team.cancel')}
        busy={revoke.isPending}
        onConfirm={() => {
          if (revoking)
            revoke.mutate(revoking.id, {
              onSuccess: () => {
                if (created && created.id === revoking.id) setCreated(null);
                setRevoking(null);
              },
            });
        }}
        error={
          revoke.isError ? (
            <ActionError error={revoke.error} message={teamErrorMessage(revoke.error, t)} />
          ) : null
        }
      >
        <Text>{t('team.invites.revokeText')}</Text>
      </ConfirmDialog>
    </Card>
  );
}

/* ---------------------------------------------------------------- the page */

export default function TeamPage() {
  const { t } = useTranslation();
  const me = useMe();
  const isAdmin = me.data?.user.role === 'admin';
  const members = useMembers();
  const invites = useInvites(isAdmin);
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const admins = adminsOf(members.data);

  if (me.isPending)
    return (
      <Stack gap="24px">
        <Card>
          <TableSkeleton />
        </Card>
      </Stack>
    );
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;

  return (
    <Stack gap="24px">
      {!isAdmin ? (
        <Alert.Root status="info" borderRadius="card" data-testid="team-readonly">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>{t('team.readOnly.title')}</Alert.Title>
            <Alert.Description>
              {admins.length
                ? t('team.readOnly.textAdmins', {
                    count: admins.length,
                    admins: admins.map((a) => a.email).join(', '),
                  })
                : t('team.readOnly.text')}
            </Alert.Description>
          </Alert.Content>
        </Alert.Root>
      ) : null}

      <SimpleGrid columns={{ base: 1, lg: 3 }} gap="24px" alignItems="start">
        <Box gridColumn={{ lg: 'span 2' }} minW={0}>
          <MembersCard me={me.data.user} isAdmin={isAdmin} adminCount={admins.length} />
        </Box>
        <Stack gap="24px" minW={0}>
          <SeatsCard />
          {isAdmin ? (
            <InviteCard
              invites={invites.data}
              onCreated={(inv) => {
                setCreated(inv);
                // the link is shown in the invitations card: bring it into view
                requestAnimationFrame(() =>
                  document
                    .querySelector('[data-testid="invite-created"]')
                    ?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' }),
                );
              }}
            />
          ) : null}
        </Stack>
      </SimpleGrid>

      {isAdmin ? <InvitesCard invites={invites} created={created} setCreated={setCreated} /> : null}
    </Stack>
  );
}
