import { Flex } from '@chakra-ui/react';
import { initials } from '../lib/format';

const PALETTE = [
  '#4FD1C5',
  '#2D3748',
  '#38B2AC',
  '#667EEA',
  '#ED8936',
  '#9F7AEA',
  '#48BB78',
  '#F56565',
];

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** Purity's 12px-radius avatar, with the persona's initials on a colour of its own. */
export function PersonaAvatar({ name, size = '50px' }: { name: string; size?: string }) {
  const bg = PALETTE[hash(name) % PALETTE.length];
  const light = bg === '#4FD1C5' || bg === '#ED8936' || bg === '#48BB78';
  return (
    <Flex
      aria-hidden="true"
      w={size}
      h={size}
      flexShrink={0}
      borderRadius="iconBox"
      bg={bg}
      color={light ? 'gray.700' : 'white'}
      align="center"
      justify="center"
      fontWeight="bold"
      fontSize="md"
    >
      {initials(name)}
    </Flex>
  );
}
