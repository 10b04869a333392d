/* Inline SVG glyphs (24x24, stroke-based): no icon font, nothing fetched. */
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

export const HomeIcon = createIcon({
  displayName: 'HomeIcon',
  path: stroke(['M3 10.5 12 3l9 7.5', 'M5 9.5V21h5v-6h4v6h5V9.5']),
});
export const PersonasIcon = createIcon({
  displayName: 'PersonasIcon',
  path: stroke([
    'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z',
    'M2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1',
    'M16 3.1a4 4 0 0 1 0 7.8',
    'M22 21v-1a6 6 0 0 0-4-5.6',
  ]),
});
export const TestsIcon = createIcon({
  displayName: 'TestsIcon',
  path: stroke([
    'M9 3h6',
    'M10 3v6L4.5 18.5A1.7 1.7 0 0 0 6 21h12a1.7 1.7 0 0 0 1.5-2.5L14 9V3',
    'M7 15h10',
  ]),
});
export const ProjectsIcon = createIcon({
  displayName: 'ProjectsIcon',
  path: stroke([
    'M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2.5h8.5A1.5 1.5 0 0 1 21 9v9.5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5Z',
  ]),
});
export const BillingIcon = createIcon({
  displayName: 'BillingIcon',
  path: stroke([
    'M3 7a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2Z',
    'M3 10h18',
    'M7 15h3',
  ]),
});
export const TeamIcon = createIcon({
  displayName: 'TeamIcon',
  path: stroke([
    'M12 12a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7Z',
    'M5 20v-.5A5.5 5.5 0 0 1 10.5 14h3a5.5 5.5 0 0 1 5.5 5.5v.5',
    'M4.5 11.5a2.5 2.5 0 1 1 1.8-4.3',
    'M19.5 11.5a2.5 2.5 0 1 0-1.8-4.3',
  ]),
});
export const SettingsIcon = createIcon({
  displayName: 'SettingsIcon',
  path: stroke([
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z',
    'M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1Z',
  ]),
});
export const BellIcon = createIcon({
  displayName: 'BellIcon',
  path: stroke(['M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9', 'M10.3 21a1.9 1.9 0 0 0 3.4 0']),
});
export const MenuIcon = createIcon({
  displayName: 'MenuIcon',
  path: stroke(['M4 6h16', 'M4 12h16', 'M4 18h16']),
});
export const SearchIcon = createIcon({
  displayName: 'SearchIcon',
  path: stroke(['M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14Z', 'm20 20-4-4']),
});
export const PlusIcon = createIcon({
  displayName: 'PlusIcon',
  path: stroke(['M12 5v14', 'M5 12h14']),
});
export const CheckIcon = createIcon({
  displayName: 'CheckIcon',
  path: stroke(['m5 12.5 4.5 4.5L19 7.5']),
});
export const AlertIcon = createIcon({
  displayName: 'AlertIcon',
  path: stroke([
    'M12 9v4',
    'M12 17h.01',
    'M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z',
  ]),
});
export const LogoutIcon = createIcon({
  displayName: 'LogoutIcon',
  path: stroke(['M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4', 'm16 17 5-5-5-5', 'M21 12H9']),
});
export const GlobeIcon = createIcon({
  displayName: 'GlobeIcon',
  path: stroke([
    'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z',
    'M3 12h18',
    'M12 3a14 14 0 0 1 0 18a14 14 0 0 1 0-18Z',
  ]),
});
export const ChipIcon = createIcon({
  displayName: 'ChipIcon',
  path: stroke(['M7 7h10v10H7Z', 'M9 3v4M15 3v4M9 17v4M15 17v4M3 9h4M3 15h4M17 9h4M17 15h4']),
});
export const CoinIcon = createIcon({
  displayName: 'CoinIcon',
  path: stroke([
    'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z',
    'M15 9.5c-.5-1-1.6-1.5-3-1.5-1.7 0-3 .8-3 2s1.3 1.7 3 2 3 .8 3 2-1.3 2-3 2c-1.4 0-2.5-.5-3-1.5',
    'M12 6.5v11',
  ]),
});
export const ChevronLeftIcon = createIcon({
  displayName: 'ChevronLeftIcon',
  path: stroke(['m15 18-6-6 6-6']),
});
export const ChevronRightIcon = createIcon({
  displayName: 'ChevronRightIcon',
  path: stroke(['m9 18 6-6-6-6']),
});
export const SparkIcon = createIcon({
  displayName: 'SparkIcon',
  path: stroke([
    'M12 3v4M12 17v4M3 12h4M17 12h4M5.6 5.6l2.8 2.8M15.6 15.6l2.8 2.8M5.6 18.4l2.8-2.8M15.6 8.4l2.8-2.8',
  ]),
});
export const CopyIcon = createIcon({
  displayName: 'CopyIcon',
  path: stroke([
    'M9 9h10a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H11a2 2 0 0 1-2-2V9Z',
    'M5 15H4a1 1 0 0 1-1-1V5a2 2 0 0 1 2-2h9a1 1 0 0 1 1 1v1',
  ]),
});
export const TrashIcon = createIcon({
  displayName: 'TrashIcon',
  path: stroke(['M4 7h16', 'M10 11v6M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3']),
});
export const PencilIcon = createIcon({
  displayName: 'PencilIcon',
  path: stroke(['M4 20h4L19 9l-4-4L4 16v4Z', 'M13.5 6.5l4 4']),
});
export const KeyIcon = createIcon({
  displayName: 'KeyIcon',
  path: stroke(['M8 15a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z', 'M12 11h9M18 11v3M15 11v2']),
});
export const SendIcon = createIcon({
  displayName: 'SendIcon',
  path: stroke(['M22 2 11 13', 'M22 2 15 22l-4-9-9-4 20-7Z']),
});
export const ChatIcon = createIcon({
  displayName: 'ChatIcon',
  path: stroke(['M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12Z']),
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
export const PlayIcon = createIcon({
  displayName: 'PlayIcon',
  path: stroke(['M7 4.5v15l12-7.5Z']),
});
export const ChevronUpIcon = createIcon({
  displayName: 'ChevronUpIcon',
  path: stroke(['m6 15 6-6 6 6']),
});
export const ChevronDownIcon = createIcon({
  displayName: 'ChevronDownIcon',
  path: stroke(['m6 9 6 6 6-6']),
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
