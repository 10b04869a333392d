/*
 * Asks before the builder is left with changes not saved: another page of
 * the app (a dialog: stay or leave), or a reload or a closed tab (the
 * browser's own question). The in-app question needs the app's data router;
 * where there is none (unit tests' MemoryRouter) only the browser's is kept.
 */
import { Button, Dialog, Portal, Text } from '@chakra-ui/react';
import { useContext, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { UNSAFE_DataRouterContext, useBlocker } from 'react-router';

function InAppGuard({ when }: { when: boolean }) {
  const { t } = useTranslation();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      when && currentLocation.pathname !== nextLocation.pathname,
  );
  const open = blocker.state === 'blocked';
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(e) => {
        if (!e.open && blocker.state === 'blocked') blocker.reset();
      }}
      role="alertdialog"
    >
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner px="12px">
          <Dialog.Content borderRadius="card" data-testid="leave-dialog">
            <Dialog.Header>
              <Dialog.Title>{t('builder.leave.title')}</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
              <Text>{t('builder.leave.text')}</Text>
            </Dialog.Body>
            <Dialog.Footer>
              <Button colorPalette="teal" onClick={() => blocker.reset?.()}>
                {t('builder.leave.stay')}
              </Button>
              <Button variant="outline" onClick={() => blocker.proceed?.()}>
                {t('builder.leave.leave')}
              </Button>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}

export function LeaveGuard({ when }: { when: boolean }) {
  const dataRouter = useContext(UNSAFE_DataRouterContext);
  useEffect(() => {
    if (!when) return;
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [when]);
  return dataRouter ? <InAppGuard when={when} /> : null;
}
