/*
 * Small pieces the personas pages share: an action's failure where it was
 * asked (with the caller's ways forward), a plan gate as an upgrade
 * prompt, a confirmation before deleting, and the lists a profile is made
 * of.
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Dialog,
  Flex,
  List,
  Portal,
  Text,
  Wrap,
  type BoxProps,
} from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { isApiError } from '../../api/client';
import { errorActions, errorTitleKey, translateKnownMessage } from '../../api/errors';

/** The failure of an action, next to where it was asked: what happened and what to do. */
export function InlineError({
  error,
  message,
  onRetry,
  actions,
  testId,
}: {
  error: unknown;
  /** the page's own words for it, when it has some */
  message?: string | null | undefined;
  onRetry?: (() => void) | undefined;
  /** more ways forward (start a new conversation, dismiss...) */
  actions?: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  const known = message ?? (isApiError(error) ? translateKnownMessage(error, t) : null);
  const retryAfter = isApiError(error) ? error.retryAfter : undefined;
  const detail = isApiError(error) && !known ? error.message : '';
  const requestId = isApiError(error) ? error.requestId : undefined;
  const upgrade = errorActions(error).includes('upgrade');
  const warn = isApiError(error) && (error.code === 'plan_limit' || error.code === 'conflict');
  return (
    <Alert.Root
      status={warn ? 'warning' : 'error'}
      borderRadius="12px"
      alignItems="flex-start"
      role="alert"
      data-testid={testId}
    >
      <Alert.Indicator />
      <Alert.Content gap="2px">
        <Alert.Title fontWeight="bold">{t(errorTitleKey(error))}</Alert.Title>
        <Alert.Description>
          <Text>{known ?? t(`${errorTitleKey(error)}Hint`, { seconds: retryAfter ?? 30 })}</Text>
          {detail ? (
            <Text fontSize="sm" color="fg.muted" mt="2px">
              {t('errors.detail', { detail })}
              {requestId ? ` · ${t('errors.requestId', { id: requestId })}` : ''}
            </Text>
          ) : null}
        </Alert.Description>
        <Flex gap="8px" mt="6px" wrap="wrap">
          {onRetry ? (
            <Button size="xs" colorPalette="teal" onClick={onRetry}>
              {t('actions.retry')}
            </Button>
          ) : null}
          {upgrade ? (
            <Button asChild size="xs" colorPalette="teal" variant="outline">
              <RouterLink to="/billing">{t('actions.upgrade')}</RouterLink>
            </Button>
          ) : null}
          {actions}
        </Flex>
      </Alert.Content>
    </Alert.Root>
  );
}

/** A plan gate said as what it is, with the way to a plan that has it. */
export function UpgradeNotice({
  title,
  text,
  testId,
  extra,
}: {
  title: string;
  text: ReactNode;
  testId?: string;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Box
      borderLeft="4px solid"
      borderColor="orange.400"
      bg="orange.50"
      borderRadius="12px"
      px="16px"
      py="14px"
      data-testid={testId}
    >
      <Flex gap="16px" align="center" wrap="wrap">
        <Box flex="1" minW="220px">
          <Text fontWeight="bold" color="gray.700">
            {title}
          </Text>
          <Box color="gray.700" fontSize="sm" mt="2px">
            {text}
          </Box>
        </Box>
        <Flex gap="8px" wrap="wrap">
          {extra}
          <Button asChild colorPalette="teal" size="sm" borderRadius="12px">
            <RouterLink to="/billing">{t('actions.upgrade')}</RouterLink>
          </Button>
        </Flex>
      </Flex>
    </Box>
  );
}

/** Asks before something that cannot be undone; the failure shows inside. */
export function ConfirmDelete({
  open,
  onClose,
  title,
  children,
  confirmLabel,
  onConfirm,
  busy,
  error,
  testId,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  busy: boolean;
  error?: unknown;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Dialog.Root
      role="alertdialog"
      open={open}
      onOpenChange={(e) => {
        if (!e.open && !busy) onClose();
      }}
      placement="center"
      size={{ base: 'full', sm: 'md' }}
    >
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content borderRadius={{ base: 0, sm: 'card' }} data-testid={testId}>
            <Dialog.Header>
              <Dialog.Title fontSize="lg" color="gray.700">
                {title}
              </Dialog.Title>
            </Dialog.Header>
            <Dialog.Body fontSize="sm" color="gray.700">
              {children}
              {error ? (
                <Box mt="16px">
                  <InlineError error={error} />
                </Box>
              ) : null}
            </Dialog.Body>
            <Dialog.Footer gap="8px" flexWrap="wrap">
              <Button variant="outline" onClick={onClose} disabled={busy}>
                {t('personaDetail.actions.cancel')}
              </Button>
              <Button colorPalette="red" onClick={onConfirm} loading={busy}>
                {confirmLabel}
              </Button>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}

/** Words as soft badges (traits, interests, skills). */
export function Chips({ items, palette = 'gray' }: { items: string[]; palette?: string }) {
  return (
    <Wrap gap="6px" as="ul" listStyleType="none" m={0} p={0}>
      {items.map((item, i) => (
        <li key={`${i}-${item}`}>
          <Badge
            colorPalette={palette}
            variant="subtle"
            borderRadius="badge"
            textTransform="none"
            fontWeight="normal"
            fontSize="sm"
            px="8px"
            py="3px"
            whiteSpace="normal"
          >
            {item}
          </Badge>
        </li>
      ))}
    </Wrap>
  );
}

/** Sentences as a bulleted list (beliefs, goals, facts). */
export function Bullets({ items, ...rest }: { items: string[] } & BoxProps) {
  return (
    <Box {...rest}>
      <List.Root gap="6px" ps="18px" color="gray.700" fontSize="sm">
        {items.map((item, i) => (
          <List.Item key={`${i}-${item}`}>{item}</List.Item>
        ))}
      </List.Root>
    </Box>
  );
}

/** A small caption over a part of a card. */
export function Caption({ children }: { children: ReactNode }) {
  return (
    <Text
      as="h3"
      fontSize="xs"
      fontWeight="bold"
      color="fg.muted"
      textTransform="uppercase"
      letterSpacing="0.04em"
      mb="8px"
    >
      {children}
    </Text>
  );
}
