import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import en from './en.json';
import es from './es.json';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [prefix + key] : keys(value, `${prefix}${key}.`)));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const code = sources(join(__dirname, '..')).map((file) => readFileSync(file, 'utf8'));
const english = new Set(keys(en as Tree));

/** Every string a person reads goes through i18n, in Spanish and English alike. */
describe('the console translations', () => {
  it('have the same keys in Spanish and English', () => {
    expect(keys(es as Tree).sort()).toEqual([...english].sort());
  });

  it('have every key the code asks for', () => {
    const used = code.flatMap((text) => [...text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((key) => !english.has(key))).toEqual([]);
  });

  it('have a group for every key built from a value (`status.${…}`)', () => {
    const prefixes = code.flatMap((text) => [...text.matchAll(/\bt\(\s*`([a-zA-Z0-9_.]+)\.\$\{/g)].map((m) => m[1]));
    const groups = new Set([...english].flatMap((key) => key.split('.').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
    expect(prefixes.filter((prefix) => !groups.has(prefix))).toEqual([]);
  });
});
