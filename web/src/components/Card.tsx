import { Box, Flex, Heading, type BoxProps } from '@chakra-ui/react';
import type { ReactNode } from 'react';

/** Purity's card: white, 15px radius, the almost flat shadow, 22px padding. */
export function Card(props: BoxProps) {
  return (
    <Box
      bg="white"
      borderRadius="card"
      boxShadow="card"
      p={{ base: '16px', md: '22px' }}
      display="flex"
      flexDirection="column"
      minW={0}
      {...props}
    />
  );
}

export function CardHeader({
  title,
  subtitle,
  actions,
  id,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  id?: string;
}) {
  return (
    <Flex mb="16px" align={{ base: 'flex-start', sm: 'center' }} gap="12px" wrap="wrap">
      <Box flex="1" minW="180px">
        <Heading as="h2" id={id} fontSize="lg" fontWeight="bold" color="gray.700">
          {title}
        </Heading>
        {subtitle ? (
          <Box fontSize="sm" color="fg.muted" mt="2px">
            {subtitle}
          </Box>
        ) : null}
      </Box>
      {actions ? (
        <Flex gap="8px" align="center" wrap="wrap">
          {actions}
        </Flex>
      ) : null}
    </Flex>
  );
}
