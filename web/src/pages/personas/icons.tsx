/* The personas area's own glyphs (24x24, stroke-based, like components/Icons). */
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

export const SendIcon = createIcon({
  displayName: 'SendIcon',
  path: stroke(['M22 2 11 13', 'M22 2 15 22l-4-9-9-4 20-7Z']),
});
export const ChatIcon = createIcon({
  displayName: 'ChatIcon',
  path: stroke(['M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12Z']),
});
export const DeleteIcon = createIcon({
  displayName: 'DeleteIcon',
  path: stroke(['M4 7h16', 'M10 11v6M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3']),
});
export const EditIcon = createIcon({
  displayName: 'EditIcon',
  path: stroke(['M4 20h4L19 9l-4-4L4 16v4Z', 'M13.5 6.5l4 4']),
});
export const ShieldIcon = createIcon({
  displayName: 'ShieldIcon',
  path: stroke(['M12 3 4 6v6c0 5 3.4 8.3 8 9 4.6-.7 8-4 8-9V6l-8-3Z', 'm8.5 12 2.5 2.5 4.5-5']),
});
export const HistoryIcon = createIcon({
  displayName: 'HistoryIcon',
  path: stroke(['M3 12a9 9 0 1 0 3-6.7L3 8', 'M3 3v5h5', 'M12 7v5l3 2']),
});
export const WandIcon = createIcon({
  displayName: 'WandIcon',
  path: stroke(['m3 21 12-12', 'm13 7 4 4', 'M17 3v2M21 7h-2M19.5 4.5 18 6M6 3v2M5 4h2']),
});
export const UserIcon = createIcon({
  displayName: 'UserIcon',
  path: stroke(['M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z', 'M4 21v-1a7 7 0 0 1 7-7h2a7 7 0 0 1 7 7v1']),
});
