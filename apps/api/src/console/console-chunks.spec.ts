import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_MANIFEST, consoleChunks, consoleEntry } from './console-chunks';

describe('consoleChunks (the files a console page module needs, from the build manifest)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'console-chunks-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (manifest: object) => {
    mkdirSync(join(root, '.vite'));
    writeFileSync(join(root, CONSOLE_MANIFEST), JSON.stringify(manifest));
  };

  it("gives a page's chunk and the chunks it imports, less those the entry script loads already", () => {
    write({
      'index.html': { file: 'assets/index-1.js', isEntry: true, imports: ['_shared-1.js'], dynamicImports: ['src/page.tsx'] },
      '_shared-1.js': { file: 'assets/shared-1.js' },
      'src/page.tsx': { file: 'assets/page-1.js', isDynamicEntry: true, imports: ['index.html', '_shared-1.js', '_aria-1.js'] },
      '_aria-1.js': { file: 'assets/aria-1.js', imports: ['_press-1.js', 'index.html'] },
      '_press-1.js': { file: 'assets/press-1.js', imports: ['_aria-1.js'] },
      'src/i18n/en.json': { file: 'assets/en-1.js', isDynamicEntry: true },
    });
    const chunks = consoleChunks(root);
    expect(chunks('src/page.tsx')).toEqual(['/assets/page-1.js', '/assets/aria-1.js', '/assets/press-1.js']);
    expect(chunks('src/i18n/en.json')).toEqual(['/assets/en-1.js']);
    expect(chunks('src/unknown.tsx')).toEqual([]);
  });

  it('gives the entry script, the chunks it imports and their stylesheets, and no page chunk', () => {
    write({
      'index.html': { file: 'assets/index-1.js', isEntry: true, imports: ['_vendor-1.js'], dynamicImports: ['src/page.tsx'], css: ['assets/index-1.css'] },
      '_vendor-1.js': { file: 'assets/vendor-1.js', imports: ['index.html'], css: ['assets/vendor-1.css'] },
      'src/page.tsx': { file: 'assets/page-1.js', isDynamicEntry: true, imports: ['index.html'], css: ['assets/page-1.css'] },
    });
    expect(consoleEntry(root)).toEqual({ scripts: ['/assets/index-1.js', '/assets/vendor-1.js'], styles: ['/assets/index-1.css', '/assets/vendor-1.css'] });
  });

  it('gives nothing for a build without a manifest', () => {
    expect(consoleChunks(root)('src/page.tsx')).toEqual([]);
    expect(consoleEntry(root)).toEqual({ scripts: [], styles: [] });
  });
});
