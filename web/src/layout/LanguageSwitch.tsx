import { Button, Menu, Portal } from '@chakra-ui/react';
import { useTranslation } from 'react-i18next';
import { GlobeIcon } from '../components/Icons';
import { LANGUAGES } from '../i18n';

/** English / Português (Brasil); i18n remembers the choice and sets <html lang>. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const current = LANGUAGES.find((l) => l.code === i18n.language) ?? LANGUAGES[0];
  return (
    <Menu.Root
      positioning={{ placement: 'bottom-end' }}
      onSelect={(d) => void i18n.changeLanguage(d.value)}
    >
      <Menu.Trigger asChild>
        <Button
          data-testid="language-switch"
          variant="ghost"
          size="sm"
          color="gray.700"
          aria-label={t('language.switch', { language: current.label })}
          px="8px"
        >
          <GlobeIcon boxSize="18px" />
          {compact ? null : current.short}
        </Button>
      </Menu.Trigger>
      <Portal>
        <Menu.Positioner>
          <Menu.Content minW="190px" borderRadius="card">
            <Menu.ItemGroup>
              <Menu.ItemGroupLabel>{t('language.label')}</Menu.ItemGroupLabel>
              {LANGUAGES.map((l) => (
                <Menu.Item
                  key={l.code}
                  value={l.code}
                  lang={l.code}
                  fontWeight={l.code === current.code ? 'bold' : 'normal'}
                  aria-current={l.code === current.code ? 'true' : undefined}
                >
                  {l.label}
                </Menu.Item>
              ))}
            </Menu.ItemGroup>
          </Menu.Content>
        </Menu.Positioner>
      </Portal>
    </Menu.Root>
  );
}
