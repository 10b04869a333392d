import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import ptBR from './locales/pt-BR.json';

type Tree = { [k: string]: string | Tree };

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
  const a = flatten(en as Tree);
  const b = flatten(ptBR as Tree);

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
