/* The tests area's own glyphs (24x24, stroke-based, as components/Icons.tsx draws them). */
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

export const PlayIcon = createIcon({
  displayName: 'PlayIcon',
  path: stroke(['M7 4.5v15l12-7.5Z']),
});
export const BinIcon = createIcon({
  displayName: 'BinIcon',
  path: stroke(['M4 7h16', 'M10 11v6M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3']),
});
export const EditIcon = createIcon({
  displayName: 'EditIcon',
  path: stroke(['M4 20h4L19 9l-4-4L4 16v4Z', 'M13.5 6.5l4 4']),
});
export const UpIcon = createIcon({
  displayName: 'UpIcon',
  path: stroke(['m6 15 6-6 6 6']),
});
export const DownIcon = createIcon({
  displayName: 'DownIcon',
  path: stroke(['m6 9 6 6 6-6']),
});
export const DuplicateIcon = createIcon({
  displayName: 'DuplicateIcon',
  path: stroke([
    'M9 9h10a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H11a2 2 0 0 1-2-2V9Z',
    'M5 15H4a1 1 0 0 1-1-1V5a2 2 0 0 1 2-2h9a1 1 0 0 1 1 1v1',
  ]),
});
/** A product: a box. */
export const BoxIcon = createIcon({
  displayName: 'BoxIcon',
  path: stroke(['M3 7.5 12 3l9 4.5v9L12 21l-9-4.5Z', 'M3 7.5 12 12l9-4.5', 'M12 12v9']),
});
/** A message: a speech bubble. */
export const MessageIcon = createIcon({
  displayName: 'MessageIcon',
  path: stroke(['M4 5h16v11H9l-5 4Z', 'M8 9h8M8 12h5']),
});
/** A journey: a path through steps. */
export const RouteIcon = createIcon({
  displayName: 'RouteIcon',
  path: stroke([
    'M6 19a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z',
    'M18 9a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z',
    'M8 17h7a3 3 0 0 0 0-6H9a3 3 0 0 1 0-6h7',
  ]),
});
/** A focus group: people around a table. */
export const GroupIcon = createIcon({
  displayName: 'GroupIcon',
  path: stroke([
    'M12 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z',
    'M5 12a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z',
    'M19 12a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z',
    'M3 20a4 4 0 0 1 4-4h10a4 4 0 0 1 4 4',
  ]),
});
