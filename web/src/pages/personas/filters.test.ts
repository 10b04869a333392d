import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, filtersFromParams, hasActiveFilters } from './filters';
import { matchesTemplate } from './templateSearch';

describe('the personas list filters', () => {
  it('come from the URL as GET /api/personas takes them, bad values dropped', () => {
    const f = filtersFromParams(
      new URLSearchParams(
        'q=nurse&gender=female&income_level=rich&age_min=30&age_max=7&type=template&sort=-age&page=3',
      ),
    );
    expect(f).toEqual({
      q: 'nurse',
      gender: 'female',
      age_min: 30,
      type: 'template',
      sort: '-age',
      limit: PAGE_SIZE,
      offset: 2 * PAGE_SIZE,
    });
    expect(hasActiveFilters(f)).toBe(true);
    expect(hasActiveFilters(filtersFromParams(new URLSearchParams('sort=name&page=2')))).toBe(
      false,
    );
    expect(filtersFromParams(new URLSearchParams('sort=bogus')).sort).toBeUndefined();
  });

  it('the gallery search needs every word', () => {
    const tpl = {
      id: 'ana',
      name: 'Ana Souza',
      tags: ['parents'],
      demographics: {
        age: 34,
        occupation: 'nurse',
        location: 'Porto Alegre, Brazil',
        language: 'pt-BR',
      },
      personality: { interests: ['cooking'] },
    };
    expect(matchesTemplate(tpl, 'nurse brazil')).toBe(true);
    expect(matchesTemplate(tpl, 'Cooking PARENTS')).toBe(true);
    expect(matchesTemplate(tpl, 'nurse germany')).toBe(false);
    expect(matchesTemplate(tpl, '  ')).toBe(true);
  });
});
