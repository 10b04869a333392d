/*
 * A plan gate said as what it is: what the plan does not allow, and the way
 * to more (the billing page) - in place of a button that would only fail.
 */
import { Box, Button, Flex, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';

export function UpgradePrompt({
  title,
  text,
  actionLabel,
  to = '/billing',
  testId,
  extra,
}: {
  title: string;
  text: ReactNode;
  actionLabel: string;
  to?: string;
  testId?: string;
  /** more ways forward next to the upgrade (e.g. "revoke an invitation") */
  extra?: ReactNode;
}) {
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
            <RouterLink to={to}>{actionLabel}</RouterLink>
          </Button>
        </Flex>
      </Flex>
    </Box>
  );
}
