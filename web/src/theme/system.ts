import { createSystem, defaultConfig, defineConfig } from '@chakra-ui/react';
import { gray, mutedText, navy, radii, shadows, teal } from './tokens';

const scale = (s: Record<string | number, string>) =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { value: v }]));

const config = defineConfig({
  // Purity's breakpoints: the sidebar shows from xl (1200px) up.
  theme: {
    breakpoints: { sm: '480px', md: '768px', lg: '960px', xl: '1200px', '2xl': '1536px' },
    tokens: {
      colors: {
        teal: scale(teal),
        gray: scale(gray),
        navy: { from: { value: navy.from }, to: { value: navy.to } },
      },
      fonts: {
        body: { value: 'Roboto, "Helvetica Neue", Arial, sans-serif' },
        heading: { value: 'Roboto, "Helvetica Neue", Arial, sans-serif' },
      },
      radii: {
        card: { value: radii.card },
        iconBox: { value: radii.iconBox },
        navbar: { value: radii.navbar },
        badge: { value: radii.badge },
      },
      shadows: {
        card: { value: shadows.card },
        navbar: { value: shadows.navbar },
        floating: { value: shadows.floating },
      },
    },
    semanticTokens: {
      colors: {
        // The accent is teal.300; text on it is Purity's dark gray (8:1),
        // since white on #4FD1C5 is only 1.9:1.
        teal: {
          solid: { value: '{colors.teal.300}' },
          contrast: { value: '{colors.gray.700}' },
          fg: { value: '{colors.teal.600}' },
          muted: { value: '{colors.teal.100}' },
          subtle: { value: '{colors.teal.50}' },
          emphasized: { value: '{colors.teal.200}' },
          focusRing: { value: '{colors.teal.500}' },
          border: { value: '{colors.teal.300}' },
        },
        brand: {
          solid: { value: '{colors.teal.300}' },
          fg: { value: '{colors.teal.600}' },
        },
        fg: {
          DEFAULT: { value: '{colors.gray.700}' },
          muted: { value: mutedText },
          subtle: { value: mutedText },
        },
        bg: {
          DEFAULT: { value: '{colors.white}' },
          subtle: { value: '{colors.gray.50}' },
          page: { value: '{colors.gray.50}' },
        },
        border: {
          DEFAULT: { value: '{colors.gray.200}' },
        },
      },
    },
  },
  globalCss: {
    'html, body': {
      bg: 'gray.50',
      color: 'gray.700',
      fontFamily: 'body',
    },
    html: { colorPalette: 'teal' },
    a: { color: 'inherit' },
    '*:focus-visible': {
      outline: '2px solid {colors.teal.500}',
      outlineOffset: '2px',
    },
  },
});

export const system = createSystem(defaultConfig, config);
