import { Flex, Stat, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { Card } from './Card';
import { IconBox } from './IconBox';

/** Purity's mini statistic: grey label, bold value with a note, a 45px teal icon box. */
export function StatCard({
  label,
  value,
  note,
  noteColor = 'fg.muted',
  icon,
  testId,
}: {
  label: string;
  value: ReactNode;
  note?: ReactNode;
  noteColor?: string;
  icon: ReactNode;
  testId?: string;
}) {
  return (
    <Card py="16px" data-testid={testId} justifyContent="center">
      <Flex align="center" justify="space-between" gap="12px">
        <Stat.Root>
          <Stat.Label fontSize="sm" color="fg.muted" fontWeight="bold">
            {label}
          </Stat.Label>
          <Flex align="baseline" columnGap="8px" wrap="wrap">
            <Stat.ValueText fontSize="lg" fontWeight="bold" color="gray.700">
              {value}
            </Stat.ValueText>
            {note ? (
              <Text as="span" fontSize="sm" fontWeight="bold" color={noteColor}>
                {note}
              </Text>
            ) : null}
          </Flex>
        </Stat.Root>
        <IconBox size="45px">{icon}</IconBox>
      </Flex>
    </Card>
  );
}
