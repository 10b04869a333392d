/*
 * Purity UI's design language as Chakra v3 tokens (see
 * shared/reference/frontend.md 1.3). Purity uses Chakra's classic v1/v2
 * palette, which v3 no longer ships, so the teal and gray scales are
 * restored here; gray.700 is Purity's own #1F2733.
 */
export const teal = {
  50: '#E6FFFA',
  100: '#B2F5EA',
  200: '#81E6D9',
  300: '#4FD1C5',
  400: '#38B2AC',
  500: '#319795',
  600: '#2C7A7B',
  700: '#285E61',
  800: '#234E52',
  900: '#1D4044',
} as const;

export const gray = {
  50: '#F7FAFC',
  100: '#EDF2F7',
  200: '#E2E8F0',
  300: '#CBD5E0',
  400: '#A0AEC0',
  500: '#718096',
  600: '#4A5568',
  700: '#1F2733',
  800: '#1A202C',
  900: '#171923',
} as const;

/** Text that must stay readable (WCAG AA, 4.5:1) on white and on gray.50. */
export const mutedText = '#5F6B7D';

export const navy = { from: '#313860', to: '#151928' } as const;

export const chart = {
  primary: teal[300],
  secondary: '#2D3748',
  axis: '#8A96A8',
  grid: '#E2E8F0',
} as const;

export const radii = {
  card: '15px',
  iconBox: '12px',
  navbar: '16px',
  badge: '8px',
} as const;

export const shadows = {
  card: '0px 3.5px 5.5px rgba(0, 0, 0, 0.02)',
  navbar: '0px 7px 23px rgba(0, 0, 0, 0.05)',
  floating: '0 20px 27px 0 rgba(0, 0, 0, 0.05)',
} as const;

export const sidebarWidth = 260;
