import { Box, type BoxProps } from '@chakra-ui/react';

/** Purity's hairline that fades in from transparent to #E0E1E2 and out again. */
export function FadeSeparator(props: BoxProps) {
  return (
    <Box
      role="presentation"
      h="1px"
      w="100%"
      bgImage="linear-gradient(90deg, rgba(224,225,226,0) 0%, #E0E1E2 49.52%, rgba(224,225,226,0) 100%)"
      {...props}
    />
  );
}
