import type { PersonaTemplate } from '../../api/types';

/** Every word of the query in the template's text (as the API's q does for personas). */
export function matchesTemplate(tpl: PersonaTemplate, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const d = tpl.demographics;
  const text = [
    tpl.name,
    d.gender,
    d.location,
    d.occupation,
    d.nationality,
    d.education,
    d.language,
    String(d.age),
    ...(tpl.personality?.traits ?? []),
    ...(tpl.personality?.interests ?? []),
    ...tpl.tags,
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return words.every((w) => text.includes(w));
}
