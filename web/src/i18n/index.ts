/*
 * i18next with the two languages the product speaks. The choice is kept in
 * localStorage and written to <html lang>; the first visit follows the
 * browser (any Portuguese becomes pt-BR, anything else English).
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import ptBR from './locales/pt-BR.json';
import { withAreas, type Tree } from './areas';

export const LANGUAGES = [
  { code: 'en', label: 'English', short: 'EN' },
  { code: 'pt-BR', label: 'Português (Brasil)', short: 'PT' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const LANG_KEY = 'crowdelic.lang';

export function normalizeLanguage(tag: string | null | undefined): LanguageCode | null {
  if (!tag) return null;
  const t = tag.toLowerCase();
  if (t.startsWith('pt')) return 'pt-BR';
  if (t.startsWith('en')) return 'en';
  return null;
}

export function initialLanguage(): LanguageCode {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LANG_KEY);
  } catch {
    /* storage unavailable */
  }
  const fromStore = normalizeLanguage(stored);
  if (fromStore) return fromStore;
  const nav = typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : [];
  for (const l of nav) {
    const n = normalizeLanguage(l);
    if (n) return n;
  }
  return 'en';
}

/*
 * Each language is its shared texts (locales/<lang>.json) plus one file per
 * area of the product (locales/<lang>/<area>.json, its texts under the key
 * <area>), so the pages of one area keep their words next to each other.
 */
const enAreas = import.meta.glob<Tree>('./locales/en/*.json', { eager: true, import: 'default' });
const ptAreas = import.meta.glob<Tree>('./locales/pt-BR/*.json', {
  eager: true,
  import: 'default',
});

export const translations = {
  en: withAreas(en as Tree, enAreas),
  'pt-BR': withAreas(ptBR as Tree, ptAreas),
};

export const resources = {
  en: { translation: translations.en },
  'pt-BR': { translation: translations['pt-BR'] },
} as const;

function applyLanguage(lng: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
}

export function setupI18n(lng: LanguageCode = initialLanguage()) {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources,
      lng,
      fallbackLng: 'en',
      supportedLngs: ['en', 'pt-BR'],
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    i18n.on('languageChanged', (l) => {
      applyLanguage(l);
      try {
        localStorage.setItem(LANG_KEY, l);
      } catch {
        /* storage unavailable: the choice lasts for this page only */
      }
    });
  } else if (i18n.language !== lng) {
    void i18n.changeLanguage(lng);
  }
  applyLanguage(lng);
  return i18n;
}

export default i18n;
