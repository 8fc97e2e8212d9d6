import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One chunk of Vite's build manifest (`build.manifest` in apps/console/vite.config.ts). */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

type Manifest = Record<string, ManifestChunk>;

/** Where Vite writes the manifest, inside the build. */
export const CONSOLE_MANIFEST = join('.vite', 'manifest.json');

/** The files every console page loads first: the entry script (and the chunks it imports) and its stylesheets. */
export interface ConsoleEntry {
  scripts: string[];
  styles: string[];
}

/** The build's manifest, or none for a build without one (an older one). */
function readManifest(root: string): Manifest | undefined {
  const path = join(root, CONSOLE_MANIFEST);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : undefined;
}

/** `keys` and every chunk they import statically, transitively, in the order met. */
function closure(manifest: Manifest, keys: string[], into = new Set<string>()): Set<string> {
  for (const key of keys) {
    if (into.has(key) || !manifest[key]) continue;
    into.add(key);
    closure(manifest, manifest[key].imports ?? [], into);
  }
  return into;
}

const entryKeys = (manifest: Manifest) => Object.keys(manifest).filter((key) => manifest[key].isEntry);

/**
 * The entry script (index.html's `<script type="module">`), the chunks it imports statically and
 * their stylesheets, from the build's manifest: what every page of the console needs before anything
 * else runs. None for a build without a manifest.
 */
export function consoleEntry(root: string): ConsoleEntry {
  const manifest = readManifest(root);
  if (!manifest) return { scripts: [], styles: [] };
  const keys = [...closure(manifest, entryKeys(manifest))];
  return {
    scripts: keys.map((key) => `/${manifest[key].file}`),
    styles: keys.flatMap((key) => manifest[key].css ?? []).map((file) => `/${file}`),
  };
}

/**
 * The script files a console module needs, from the build's manifest: its own chunk and every chunk
 * it imports statically, less those the entry script loads already (the page's `<script>` and
 * Vite's `modulepreload`s bring them). Keyed by the module's source path under apps/console, as the
 * manifest names it (`src/ticket/components/ticket-page.tsx`); unknown modules have none. A build
 * without a manifest (an older one) gives none at all.
 */
export function consoleChunks(root: string): (source: string) => string[] {
  const manifest = readManifest(root);
  if (!manifest) return () => [];
  const loaded = closure(manifest, entryKeys(manifest));
  const files = new Map<string, string[]>();
  return (source) => {
    let found = files.get(source);
    if (!found) {
      found = [...closure(manifest, [source])].filter((key) => !loaded.has(key)).map((key) => `/${manifest[key].file}`);
      files.set(source, found);
    }
    return found;
  };
}
