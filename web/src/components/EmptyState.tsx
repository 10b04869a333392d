import { Flex, Heading, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { IconBox } from './IconBox';

export function EmptyState({
  icon,
  title,
  description,
  actions,
}: {
  icon: ReactNode;
  title: string;
  description?: string;
  actions?: ReactNode;
}) {
  return (
    <Flex direction="column" align="center" textAlign="center" py="40px" px="16px" gap="12px">
      <IconBox size="56px">{icon}</IconBox>
      <Heading as="h2" fontSize="lg" color="gray.700">
        {title}
      </Heading>
      {description ? (
        <Text color="fg.muted" maxW="440px">
          {description}
        </Text>
      ) : null}
      {actions ? (
        <Flex gap="8px" wrap="wrap" justify="center" mt="4px">
          {actions}
        </Flex>
      ) : null}
    </Flex>
  );
}
