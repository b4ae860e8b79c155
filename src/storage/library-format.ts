// The text format of a local library entry, as Node-RED writes it: `// <key>: <value>` header lines
// (values on one line, `\` and newlines escaped) followed by the body.
import { promises as fsp } from 'node:fs';

const HEADER = /^\/\/ (\w+): (.*)/;
const HEADER_PREFIX = /^\/\/ \w+: /;

/** Escapes a meta value onto one line; only strings can be stored (Node-RED fails on anything else). */
export function toSingleLine(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('library meta values must be strings');
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function fromSingleLine(text: string): string {
  return text.replace(/\\[\\n]/g, (s) => (s === '\\\\' ? '\\' : '\n'));
}

/** The header block for `meta`, one line per own key, in key order. */
export function formatHeaders(meta: Record<string, unknown>): string {
  return Object.keys(meta).map((k) => `// ${k}: ${toSingleLine(meta[k])}\n`).join('');
}

/**
 * The body of an entry: the text after the leading header lines. Blank lines directly after the
 * headers are dropped, as Node-RED drops them when reading an entry back.
 */
export function parseBody(text: string): string {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && HEADER_PREFIX.test(lines[i])) i++;
  while (i < lines.length && lines[i] === '') i++;
  return lines.slice(i).join('\n');
}

/**
 * The meta of an entry file: its leading header lines that end with a newline. Reads only as far as the
 * first line that is not a header, so listing a folder of large flows stays cheap.
 */
export async function readMeta(file: string): Promise<Record<string, string>> {
  const meta: Record<string, string> = {};
  const handle = await fsp.open(file, 'r');
  try {
    const chunk = Buffer.alloc(4096);
    let pending = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return meta;
      pending = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
      let nl: number;
      while ((nl = pending.indexOf(0x0a)) !== -1) {
        const m = HEADER.exec(pending.subarray(0, nl).toString('utf8'));
        if (!m) return meta;
        if (m[1] !== '__proto__') meta[m[1]] = fromSingleLine(m[2]);
        pending = pending.subarray(nl + 1);
      }
    }
  } finally {
    await handle.close();
  }
}
