/*
 * Folds the per-area translation files into a language's texts: the file
 * locales/<lang>/<area>.json becomes the subtree <area>. An area may not take
 * a key the shared file already has (two places for one text).
 */
export type Tree = { [k: string]: string | Tree };

/** The area of a glob key such as './locales/en/billing.json' ('billing'). */
export function areaOf(path: string): string {
  const m = /([^/]+)\.json$/.exec(path);
  if (!m?.[1]) throw new Error(`not a translation file: ${path}`);
  return m[1];
}

export function withAreas(base: Tree, files: Record<string, Tree>): Tree {
  const out: Tree = { ...base };
  for (const [path, tree] of Object.entries(files)) {
    const area = areaOf(path);
    if (area in out) throw new Error(`translation area "${area}" is already a shared key`);
    out[area] = tree;
  }
  return out;
}
