import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One chunk of Vite's build manifest (`build.manifest` in apps/console/vite.config.ts). */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** Where Vite writes the manifest, inside the build. */
export const CONSOLE_MANIFEST = join('.vite', 'manifest.json');

/**
 * The script files a console module needs, from the build's manifest: its own chunk and every chunk
 * it imports statically, less those the entry script loads already (the page's `<script>` and
 * Vite's `modulepreload`s bring them). Keyed by the module's source path under apps/console, as the
 * manifest names it (`src/ticket/components/ticket-page.tsx`); unknown modules have none. A build
 * without a manifest (an older one) gives none at all.
 */
export function consoleChunks(root: string): (source: string) => string[] {
  const path = join(root, CONSOLE_MANIFEST);
  if (!existsSync(path)) return () => [];
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ManifestChunk>;
  const closure = (keys: string[], into = new Set<string>()): Set<string> => {
    for (const key of keys) {
      if (into.has(key) || !manifest[key]) continue;
      into.add(key);
      closure(manifest[key].imports ?? [], into);
    }
    return into;
  };
  const loaded = closure(Object.keys(manifest).filter((key) => manifest[key].isEntry));
  const files = new Map<string, string[]>();
  return (source) => {
    let found = files.get(source);
    if (!found) {
      found = [...closure([source])].filter((key) => !loaded.has(key)).map((key) => `/${manifest[key].file}`);
      files.set(source, found);
    }
    return found;
  };
}
