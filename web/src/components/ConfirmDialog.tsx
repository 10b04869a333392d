/*
 * A confirmation before something that cannot be undone (remove, revoke,
 * delete): an alert dialog that names what happens, with the action's
 * failure shown inside it so the user can try again or cancel. Labels come
 * translated from the caller.
 */
import { Box, Button, Dialog, Portal } from '@chakra-ui/react';
import type { ReactNode } from 'react';

export function ConfirmDialog({
  open,
  onClose,
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  busy = false,
  danger = true,
  confirmDisabled = false,
  error,
  testId,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  danger?: boolean;
  confirmDisabled?: boolean;
  /** the failure of the last attempt (an ErrorState), shown above the buttons */
  error?: ReactNode;
  testId?: string;
}) {
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
          <Dialog.Content
            borderRadius={{ base: 0, sm: 'card' }}
            // 'full' on a phone sets min-height: 100dvh, which a responsive size keeps on
            // wider screens unless it is undone here
            minH={{ base: '100dvh', sm: 'auto' }}
            data-testid={testId}
          >
            <Dialog.Header>
              <Dialog.Title fontSize="lg" color="gray.700">
                {title}
              </Dialog.Title>
            </Dialog.Header>
            <Dialog.Body fontSize="sm" color="gray.700">
              {children}
              {error ? <Box mt="16px">{error}</Box> : null}
            </Dialog.Body>
            <Dialog.Footer gap="8px" flexWrap="wrap">
              <Button variant="outline" onClick={onClose} disabled={busy}>
                {cancelLabel}
              </Button>
              <Button
                colorPalette={danger ? 'red' : 'teal'}
                onClick={onConfirm}
                loading={busy}
                disabled={confirmDisabled}
              >
                {confirmLabel}
              </Button>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
