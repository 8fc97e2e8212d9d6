import { describe, expect, it } from '@jest/globals';
import { disguised } from './disguised';

const stored = (declaredType: string | null, contentType: string | null) => ({ status: 'stored', declaredType, contentType });

describe('disguised', () => {
  it('flags a file whose content is another type than the one it was sent as', () => {
    expect(disguised(stored('image/png', 'text/plain; charset=utf-8'))).toBe(true);
    expect(disguised(stored('application/pdf', 'application/zip'))).toBe(true);
  });

  it('lets through the same type, an unknown declaration, one text type for another, and refused or unsniffed files', () => {
    expect(disguised(stored('image/png', 'image/png'))).toBe(false);
    expect(disguised(stored('IMAGE/PNG', 'image/png'))).toBe(false);
    expect(disguised(stored('application/octet-stream', 'application/zip'))).toBe(false);
    expect(disguised(stored('text/csv', 'text/plain; charset=utf-8'))).toBe(false);
    expect(disguised(stored(null, 'image/png'))).toBe(false);
    expect(disguised({ status: 'refused', declaredType: 'image/png', contentType: null })).toBe(false);
  });
});
