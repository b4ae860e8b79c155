// The built command (dist/cli.js, made by `npm run build` before the tests) stays plain ASCII: one character
// outside it (a '…' in a String.raw template, which esbuild cannot escape) makes V8 hold the whole ~0.7 MB
// source as a two-byte string, 0.7 MiB more resident memory at idle (bench W5).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bundle = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

describe('dist/cli.js', () => {
  it('is plain ASCII', () => {
    const text = fs.readFileSync(bundle, 'latin1');
    const at = text.search(/[^\x00-\x7f]/);
    expect(at === -1 ? '' : text.slice(Math.max(0, at - 60), at + 20)).toBe('');
  });
});
