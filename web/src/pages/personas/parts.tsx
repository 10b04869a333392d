/* Small pieces the personas pages share: the lists a profile is made of. */
import { Badge, Box, List, Text, Wrap, type BoxProps } from '@chakra-ui/react';
import type { ReactNode } from 'react';

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
