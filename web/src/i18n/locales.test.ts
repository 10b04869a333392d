import { describe, expect, it } from 'vitest';
import { translations } from './index';
import { areaOf, withAreas, type Tree } from './areas';

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const vars = (s: string) => [...s.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  const a = flatten(translations.en);
  const b = flatten(translations['pt-BR']);

  it('English and Brazilian Portuguese have exactly the same keys', () => {
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  });

  it('every text is filled in, with the same placeholders in both languages', () => {
    for (const [key, text] of a) {
      expect(text.trim(), `en ${key}`).not.toBe('');
      expect(b.get(key)?.trim(), `pt-BR ${key}`).not.toBe('');
      expect(vars(b.get(key) ?? ''), `placeholders of ${key}`).toEqual(vars(text));
    }
  });

  it('Portuguese is really translated (most texts differ from English)', () => {
    const same = [...a].filter(([k, v]) => b.get(k) === v).map(([k]) => k);
    expect(same.length / a.size).toBeLessThan(0.15);
  });
});

describe('translation areas', () => {
  it('an area file becomes the subtree named after it', () => {
    const t = withAreas({ common: { ok: 'OK' } }, { './locales/en/billing.json': { title: 'B' } });
    expect(t).toEqual({ common: { ok: 'OK' }, billing: { title: 'B' } });
    expect(areaOf('./locales/pt-BR/team.json')).toBe('team');
  });

  it('an area may not take a shared key', () => {
    expect(() => withAreas({ common: { ok: 'OK' } }, { './x/common.json': {} })).toThrow(/common/);
  });
});
