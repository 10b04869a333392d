/* Glyphs of the run's pages (24x24, stroke-based, like components/Icons). */
import { createIcon } from '@chakra-ui/react';
import type { ReactElement } from 'react';

const stroke = (d: string[]): ReactElement[] =>
  d.map((p, i) => (
    <path
      key={i}
      d={p}
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    />
  ));

export const ClockIcon = createIcon({
  displayName: 'ClockIcon',
  path: stroke(['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z', 'M12 7v5l3 2']),
});

/** Lines of text going in and out: the model's tokens. */
export const TokensIcon = createIcon({
  displayName: 'TokensIcon',
  path: stroke(['M4 7h16', 'M4 12h10', 'M4 17h13', 'M18 14l3 3-3 3']),
});

export const ChartIcon = createIcon({
  displayName: 'ChartIcon',
  path: stroke(['M4 20V10', 'M10 20V4', 'M16 20v-7', 'M22 20H2']),
});
