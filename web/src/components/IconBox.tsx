import { Flex, type FlexProps } from '@chakra-ui/react';

/** The square, 12px-radius box that holds a glyph (teal with white, or white with teal). */
export function IconBox({
  size = '30px',
  active = true,
  children,
  ...rest
}: FlexProps & { size?: string; active?: boolean }) {
  return (
    <Flex
      aria-hidden="true"
      align="center"
      justify="center"
      flexShrink={0}
      w={size}
      h={size}
      borderRadius="iconBox"
      bg={active ? 'teal.300' : 'white'}
      color={active ? 'white' : 'teal.300'}
      boxShadow={active ? 'none' : 'card'}
      {...rest}
    >
      {children}
    </Flex>
  );
}
