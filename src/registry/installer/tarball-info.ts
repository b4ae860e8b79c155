// Reading an uploaded package tarball (.tgz or plain .tar, as `npm pack` makes them) without unpacking it:
// the name and version from its package/package.json, which must have a "node-red" section.
import zlib from 'node:zlib';
import { apiError } from '../../errors.js';

const BLOCK = 512;

const text = (buf: Buffer, start: number, len: number) => {
  const field = buf.subarray(start, start + len);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? len : end).toString('utf8');
};
const octal = (buf: Buffer, start: number, len: number) => parseInt(text(buf, start, len).trim() || '0', 8);

/** A tar header's checksum: the byte sum with the checksum field counted as spaces. */
function validHeader(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum === octal(h, 148, 8);
}

/** pax extended header records (`<len> key=value\n`) — only `path` matters here. */
function paxPath(data: Buffer): string | undefined {
  for (const m of data.toString('utf8').matchAll(/^\d+ path=(.*)$/gm)) return m[1];
  return undefined;
}

/** The content of the entry `wanted` (leading `./` ignored), or undefined; throws on a broken archive. */
function findEntry(tar: Buffer, wanted: string): Buffer | undefined {
  let pos = 0;
  let longName: string | undefined;
  while (pos + BLOCK <= tar.length) {
    const h = tar.subarray(pos, pos + BLOCK);
    if (h.every((b) => b === 0)) return undefined;
    if (!validHeader(h)) throw new Error('bad header');
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156]!);
    const data = tar.subarray(pos + BLOCK, pos + BLOCK + size);
    pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') { longName = paxPath(data) ?? longName; continue; }
    if (type === 'L') { longName = text(data, 0, data.length); continue; }
    if (type === 'g') continue;
    const prefix = text(h, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(h, 0, 100)}` : text(h, 0, 100));
    longName = undefined;
    if ((type === '0' || type === '\0') && name.replace(/^\.\//, '') === wanted) return data;
  }
  return undefined;
}

/** Name and version of the Node-RED module in a tarball (Node-RED's answers: unreadable → TAR_BAD_ARCHIVE, no module → 404). */
export function tarballModuleInfo(tarball: Buffer): { name: string; version: string } {
  let entry: Buffer | undefined;
  try {
    // a cut-short archive is read as far as it goes, as tar does
    const tar = tarball[0] === 0x1f && tarball[1] === 0x8b ? zlib.gunzipSync(tarball, { finishFlush: zlib.constants.Z_SYNC_FLUSH }) : tarball;
    if (tar.length < BLOCK || !validHeader(tar.subarray(0, BLOCK))) throw new Error('not a tar archive');
    entry = findEntry(tar, 'package/package.json');
  } catch {
    throw apiError('TAR_BAD_ARCHIVE');
  }
  let pkg: { name?: unknown; version?: unknown; 'node-red'?: unknown } | undefined;
  try { pkg = entry && JSON.parse(entry.toString('utf8')); } catch { /* not a module */ }
  if (!pkg || typeof pkg !== 'object' || !pkg['node-red'] || typeof pkg.name !== 'string') throw apiError('404');
  return { name: pkg.name, version: typeof pkg.version === 'string' ? pkg.version : '' };
}
