/*
 * Interviewing a persona: its conversations (the latest first), one
 * conversation's messages, the persona "typing" while it answers, and the
 * composer (Enter sends, Shift+Enter is a new line). A failed send keeps
 * the message in the composer with a way forward. The conversation shown
 * is in the URL (?c=), so a reload keeps it.
 */
import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Grid,
  IconButton,
  Skeleton,
  Stack,
  Text,
  Textarea,
  chakra,
} from '@chakra-ui/react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  useChat,
  useConversation,
  useConversations,
  useDeleteConversation,
  type Conversation,
  type PersonaDetail,
} from '../../api/personas';
import { useLlmStatus } from '../../api/usage';
import { ActionError } from '../../components/ActionError';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { OfflineModelBadge } from '../../components/Badges';
import { Card, CardHeader } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { ChatIcon, PlusIcon, SendIcon, TrashIcon } from '../../components/Icons';
import { PersonaAvatar } from '../../components/PersonaAvatar';
import { formatDateTime, formatNumber, formatUsd } from '../../lib/format';
import {
  MESSAGE_MAX,
  canSend,
  chatFailure,
  fromOfflineModel,
  selectedConversation,
  sendsOnKey,
  threadMessages,
  usageKey,
} from './chatThread';

type ReplyUsage = { tokens_in: number; tokens_out: number; cost_usd: number };

const STARTERS = ['day', 'money', 'decide', 'worry'] as const;

function TypingDots({ name }: { name: string }) {
  const { t } = useTranslation();
  return (
    <Flex gap="10px" align="flex-end" data-testid="persona-typing">
      <PersonaAvatar name={name} size="32px" />
      <Box bg="gray.100" borderRadius="14px" borderBottomLeftRadius="4px" px="14px" py="12px">
        <Flex gap="4px" aria-hidden="true">
          {[0, 1, 2].map((i) => (
            <Box
              key={i}
              w="7px"
              h="7px"
              borderRadius="full"
              bg="gray.500"
              animation="pulse 1.2s ease-in-out infinite"
              style={{ animationDelay: `${i * 0.2}s` }}
            />
          ))}
        </Flex>
        <Text srOnly>{t('personaDetail.chat.typing', { name })}</Text>
      </Box>
    </Flex>
  );
}

function ConversationList({
  conversations,
  selected,
  onSelect,
  onDelete,
  disabled,
}: {
  conversations: Conversation[];
  selected: string | null;
  onSelect: (id: string) => void;
  onDelete: (c: Conversation) => void;
  disabled: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Stack as="ul" listStyleType="none" m={0} p={0} gap="6px" data-testid="conversation-list">
      {conversations.map((c) => {
        const active = c.id === selected;
        return (
          <Flex
            as="li"
            key={c.id}
            align="center"
            gap="4px"
            borderRadius="12px"
            bg={active ? 'teal.50' : 'transparent'}
            borderWidth="1px"
            borderColor={active ? 'teal.200' : 'transparent'}
            _hover={{ bg: active ? 'teal.50' : 'gray.50' }}
          >
            <chakra.button
              type="button"
              flex="1"
              minW={0}
              textAlign="start"
              px="10px"
              py="8px"
              onClick={() => onSelect(c.id)}
              aria-current={active ? 'true' : undefined}
              disabled={disabled}
              cursor={disabled ? 'not-allowed' : 'pointer'}
              borderRadius="12px"
              data-testid="conversation-item"
            >
              <Text fontSize="sm" fontWeight="bold" color="gray.700" truncate>
                {c.title || t('personaDetail.chat.untitled')}
              </Text>
              <Text fontSize="xs" color="fg.muted">
                {t('personaDetail.chat.meta', {
                  count: c.message_count,
                  date: formatDateTime(c.updated_at, i18n.language),
                })}
              </Text>
            </chakra.button>
            <IconButton
              size="xs"
              variant="ghost"
              color="fg.muted"
              me="4px"
              aria-label={t('personaDetail.chat.deleteNamed', { title: c.title })}
              onClick={() => onDelete(c)}
              disabled={disabled}
            >
              <TrashIcon boxSize="14px" />
            </IconButton>
          </Flex>
        );
      })}
    </Stack>
  );
}

export function PersonaInterview({ persona }: { persona: PersonaDetail }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const list = useConversations(persona.id);
  const cid = selectedConversation(params.get('c'), list.data?.conversations);
  const conv = useConversation(persona.id, cid);
  const chat = useChat(persona.id);
  const remove = useDeleteConversation(persona.id);
  const llm = useLlmStatus();
  const [draft, setDraft] = useState('');
  const [pending, setPending] = useState<{ text: string; conversationId: string | null } | null>(
    null,
  );
  const [failure, setFailure] = useState<unknown>(null);
  const [usage, setUsage] = useState<Record<string, ReplyUsage>>({});
  const [toDelete, setToDelete] = useState<Conversation | null>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const firstName = persona.name.split(/\s+/)[0] ?? persona.name;

  const select = (id: string | null) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('tab', 'interview');
        next.set('c', id ?? 'new');
        return next;
      },
      { replace: true },
    );
    setFailure(null);
  };

  const messages = threadMessages(conv.data?.messages, pending, cid);
  const busy = chat.isPending;

  // keep the newest message in view
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, busy]);

  const send = (text: string) => {
    if (!canSend(text) || busy) return;
    const conversationId = cid;
    setPending({ text, conversationId });
    setFailure(null);
    setDraft('');
    chat.mutate(
      { message: text, ...(conversationId ? { conversation_id: conversationId } : {}) },
      {
        onSuccess: (x) => {
          setPending(null);
          if (x.usage) {
            const u = x.usage;
            setUsage((m) => ({ ...m, [usageKey(x.conversation_id, x.answer.seq)]: u }));
          }
          if (x.conversation_id !== conversationId) select(x.conversation_id);
          inputRef.current?.focus();
        },
        onError: (e) => {
          setPending(null);
          setFailure(e);
          // the unsent message goes back into the composer
          setDraft((d) => (d.trim() ? d : text));
          if (chatFailure(e) === 'raced') void conv.refetch();
          inputRef.current?.focus();
        },
      },
    );
  };

  const kind = failure ? chatFailure(failure) : null;
  const failureMessage =
    kind === 'full'
      ? t('personaDetail.chat.errorFull')
      : kind === 'gone'
        ? t('personaDetail.chat.errorGone')
        : kind === 'raced'
          ? t('personaDetail.chat.errorRaced')
          : null;
  const length = Array.from(draft).length;
  const tooLong = length > MESSAGE_MAX;

  return (
    <Card data-testid="interview">
      <CardHeader
        title={t('personaDetail.chat.title', { name: firstName })}
        subtitle={t('personaDetail.chat.subtitle')}
        actions={
          <>
            <OfflineModelBadge />
            <Button
              size="sm"
              colorPalette="teal"
              variant="outline"
              borderRadius="12px"
              onClick={() => {
                select(null);
                inputRef.current?.focus();
              }}
              disabled={busy}
              data-testid="new-conversation"
            >
              <PlusIcon boxSize="14px" />
              {t('personaDetail.chat.new')}
            </Button>
          </>
        }
      />
      <Grid
        templateColumns={{ base: 'minmax(0, 1fr)', lg: '260px minmax(0, 1fr)' }}
        gap="20px"
        alignItems="start"
      >
        <Box
          as="nav"
          aria-label={t('personaDetail.chat.listLabel')}
          maxH={{ base: '200px', lg: '560px' }}
          overflowY="auto"
          borderBottomWidth={{ base: '1px', lg: 0 }}
          borderColor="gray.100"
          pb={{ base: '12px', lg: 0 }}
        >
          {list.isPending ? (
            <Stack gap="8px" aria-busy="true" aria-label={t('common.loading')}>
              <Skeleton h="44px" />
              <Skeleton h="44px" />
            </Stack>
          ) : list.isError ? (
            <ErrorState error={list.error} onRetry={() => void list.refetch()} compact />
          ) : list.data.conversations.length === 0 ? (
            <Text fontSize="sm" color="fg.muted" px="4px">
              {t('personaDetail.chat.noConversations')}
            </Text>
          ) : (
            <ConversationList
              conversations={list.data.conversations}
              selected={cid}
              onSelect={select}
              onDelete={setToDelete}
              disabled={busy}
            />
          )}
        </Box>

        <Flex direction="column" minW={0} gap="12px">
          <Box
            ref={logRef}
            role="log"
            aria-live="polite"
            aria-label={t('personaDetail.chat.logLabel', { name: persona.name })}
            h={{ base: '52vh', lg: '460px' }}
            overflowY="auto"
            bg="gray.50"
            borderRadius="12px"
            p={{ base: '10px', md: '16px' }}
            data-testid="chat-log"
          >
            {(cid && conv.isPending) || (!params.get('c') && list.isPending) ? (
              <Stack gap="12px" aria-busy="true" aria-label={t('common.loading')}>
                <Skeleton h="48px" w="60%" ms="auto" />
                <Skeleton h="72px" w="75%" />
              </Stack>
            ) : cid && conv.isError ? (
              <ErrorState error={conv.error} onRetry={() => void conv.refetch()} compact />
            ) : messages.length === 0 && !busy ? (
              <Flex direction="column" align="center" textAlign="center" gap="12px" py="32px">
                <Box color="teal.400">
                  <ChatIcon boxSize="32px" />
                </Box>
                <Text fontWeight="bold" color="gray.700">
                  {t('personaDetail.chat.emptyTitle', { name: firstName })}
                </Text>
                <Text fontSize="sm" color="fg.muted" maxW="420px">
                  {t('personaDetail.chat.emptyText')}
                </Text>
                <Flex gap="8px" wrap="wrap" justify="center">
                  {STARTERS.map((s) => (
                    <Button
                      key={s}
                      size="xs"
                      variant="outline"
                      borderRadius="full"
                      onClick={() => {
                        setDraft(t(`personaDetail.chat.starters.${s}`));
                        inputRef.current?.focus();
                      }}
                    >
                      {t(`personaDetail.chat.starters.${s}`)}
                    </Button>
                  ))}
                </Flex>
              </Flex>
            ) : (
              <Stack gap="14px">
                {messages.map((m) => {
                  const mine = m.role === 'user';
                  const u = cid ? usage[usageKey(cid, m.seq)] : undefined;
                  const offline = fromOfflineModel(m.model, llm.data);
                  return (
                    <Flex
                      key={`${m.seq}-${m.sending ? 'p' : 's'}`}
                      justify={mine ? 'flex-end' : 'flex-start'}
                      gap="10px"
                      align="flex-end"
                      data-testid={mine ? 'chat-question' : 'chat-answer'}
                    >
                      {mine ? null : <PersonaAvatar name={persona.name} size="32px" />}
                      <Box maxW={{ base: '85%', md: '75%' }} minW={0}>
                        <Box
                          bg={mine ? 'teal.600' : 'white'}
                          color={mine ? 'white' : 'gray.700'}
                          borderRadius="14px"
                          borderBottomRightRadius={mine ? '4px' : '14px'}
                          borderBottomLeftRadius={mine ? '14px' : '4px'}
                          boxShadow={mine ? 'none' : 'card'}
                          px="14px"
                          py="10px"
                          opacity={m.sending ? 0.75 : 1}
                        >
                          <Text srOnly>
                            {mine
                              ? t('personaDetail.chat.you')
                              : t('personaDetail.chat.says', { name: firstName })}
                          </Text>
                          <Text fontSize="sm" whiteSpace="pre-wrap" overflowWrap="anywhere">
                            {m.content}
                          </Text>
                        </Box>
                        <Flex
                          mt="4px"
                          gap="6px"
                          wrap="wrap"
                          align="center"
                          justify={mine ? 'flex-end' : 'flex-start'}
                          fontSize="xs"
                          color="fg.muted"
                        >
                          <Text>
                            {m.sending
                              ? t('personaDetail.chat.sending')
                              : formatDateTime(m.created_at, i18n.language)}
                          </Text>
                          {!mine && m.model ? <Text>· {m.model}</Text> : null}
                          {!mine && offline ? (
                            <Badge
                              colorPalette="orange"
                              variant="subtle"
                              size="xs"
                              textTransform="none"
                              title={t('model.offlineHint')}
                            >
                              {t('model.offline')}
                            </Badge>
                          ) : null}
                          {u ? (
                            <Text data-testid="reply-usage">
                              ·{' '}
                              {t('personaDetail.chat.usage', {
                                tokensIn: formatNumber(u.tokens_in, i18n.language),
                                tokensOut: formatNumber(u.tokens_out, i18n.language),
                                cost: formatUsd(u.cost_usd, i18n.language),
                              })}
                            </Text>
                          ) : null}
                        </Flex>
                      </Box>
                    </Flex>
                  );
                })}
                {busy && pending?.conversationId === cid ? (
                  <TypingDots name={persona.name} />
                ) : null}
              </Stack>
            )}
          </Box>

          {failure ? (
            <ActionError
              error={failure}
              message={failureMessage}
              testId="chat-error"
              onRetry={kind === 'full' || kind === 'gone' ? undefined : () => send(draft)}
              extra={
                kind === 'full' || kind === 'gone' ? (
                  <Button
                    size="xs"
                    colorPalette="teal"
                    onClick={() => {
                      select(null);
                      inputRef.current?.focus();
                    }}
                  >
                    {t('personaDetail.chat.new')}
                  </Button>
                ) : null
              }
              onDismiss={() => setFailure(null)}
              dismissLabel={t('personaDetail.actions.dismiss')}
            />
          ) : null}

          <form
            onSubmit={(e) => {
              e.preventDefault();
              send(draft);
            }}
          >
            <Field.Root invalid={tooLong}>
              <Field.Label srOnly>
                {t('personaDetail.chat.inputLabel', { name: persona.name })}
              </Field.Label>
              <Flex gap="8px" align="flex-end">
                <Textarea
                  ref={inputRef}
                  value={draft}
                  onChange={(e) => setDraft(e.target.value)}
                  onKeyDown={(e) => {
                    if (sendsOnKey({ ...e, isComposing: e.nativeEvent.isComposing })) {
                      e.preventDefault();
                      send(draft);
                    }
                  }}
                  readOnly={busy}
                  placeholder={t('personaDetail.chat.placeholder', { name: firstName })}
                  autoresize
                  rows={2}
                  flex="1"
                  maxH="200px"
                  borderRadius="12px"
                  bg="white"
                  fontSize="sm"
                  data-testid="chat-input"
                />
                <Button
                  type="submit"
                  colorPalette="teal"
                  borderRadius="12px"
                  loading={busy}
                  disabled={!canSend(draft)}
                  aria-label={t('personaDetail.chat.send')}
                  data-testid="chat-send"
                >
                  <SendIcon boxSize="16px" />
                  <Box as="span" hideBelow="sm">
                    {t('personaDetail.chat.send')}
                  </Box>
                </Button>
              </Flex>
              {tooLong ? (
                <Field.ErrorText>
                  {t('personaDetail.chat.tooLong', {
                    max: formatNumber(MESSAGE_MAX, i18n.language),
                    count: formatNumber(length, i18n.language),
                  })}
                </Field.ErrorText>
              ) : (
                <Field.HelperText color="fg.muted">
                  {length > MESSAGE_MAX - 500
                    ? t('personaDetail.chat.left', {
                        count: MESSAGE_MAX - length,
                      })
                    : t('personaDetail.chat.keys')}
                </Field.HelperText>
              )}
            </Field.Root>
          </form>
        </Flex>
      </Grid>

      <ConfirmDialog
        open={!!toDelete}
        onClose={() => {
          setToDelete(null);
          remove.reset();
        }}
        title={t('personaDetail.chat.deleteTitle')}
        confirmLabel={t('personaDetail.chat.deleteConfirm')}
        cancelLabel={t('personaDetail.actions.cancel')}
        busy={remove.isPending}
        error={remove.error ? <ActionError error={remove.error} /> : null}
        testId="delete-conversation-dialog"
        onConfirm={() => {
          if (!toDelete) return;
          const id = toDelete.id;
          remove.mutate(id, {
            onSuccess: () => {
              setToDelete(null);
              if (id === cid) select(null);
            },
          });
        }}
      >
        {t('personaDetail.chat.deleteText', { title: toDelete?.title ?? '' })}
      </ConfirmDialog>
    </Card>
  );
}
