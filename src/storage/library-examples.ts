// The read-only `examples` library: example flows shipped in node modules' `examples/` folders (the core
// ones in @node-red/nodes), browsed by module, folder and flow name (file name without `.json`).
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { apiError } from '../errors.js';
import type { LibraryListing } from './library.js';

/** One scanned folder: sub-folders (`d`) and flow names (`f`), as Node-RED builds its example tree. */
export interface ExampleTree { d?: Record<string, ExampleTree>; f?: string[] }

/** The module name -> examples folder pairs to offer; modules without any flow are left out. */
export type ExampleRoots = Array<{ module: string; dir: string }>;

async function scan(dir: string): Promise<ExampleTree> {
  const tree: ExampleTree = {};
  for (const name of (await fsp.readdir(dir)).sort()) {
    const st = await fsp.lstat(path.join(dir, name)).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory()) (tree.d ??= Object.create(null) as Record<string, ExampleTree>)[name] = await scan(path.join(dir, name));
    else if (name.endsWith('.json')) (tree.f ??= []).push(name.slice(0, -'.json'.length));
  }
  return tree;
}

const hasFlow = (t: ExampleTree): boolean => (t.f?.length ?? 0) > 0 || Object.values(t.d ?? {}).some(hasFlow);

/** Scans each root; a root that is missing, unreadable or holds no flow is not offered. */
async function trees(roots: ExampleRoots): Promise<Map<string, { dir: string; tree: ExampleTree }>> {
  const out = new Map<string, { dir: string; tree: ExampleTree }>();
  for (const { module, dir } of roots) {
    if (out.has(module)) continue;
    const tree = await scan(dir).catch(() => undefined);
    if (tree && hasFlow(tree)) out.set(module, { dir, tree });
  }
  return out;
}

const notFound = () => apiError('not_found', 'not_found');

/** `""` lists the modules; `<module>/<folder>…` lists a folder; `<module>/<folder>…/<flow>` is the flow's text. */
export async function getExampleEntry(roots: ExampleRoots, rel: string): Promise<string | LibraryListing> {
  const all = await trees(roots);
  if (rel === '') return [...all.keys()];
  const parts = rel.replace(/\/$/, '').split('/');
  let module = parts.shift()!;
  if (module.startsWith('@')) module += `/${parts.shift() ?? ''}`;
  const root = all.get(module);
  if (!root) throw notFound();
  let node: ExampleTree = root.tree;
  for (let i = 0; i < parts.length; i++) {
    const k = parts[i];
    if (node.d && Object.hasOwn(node.d, k)) { node = node.d[k]; continue; }
    // a flow name must be the last part
    if (i === parts.length - 1 && node.f?.includes(k)) {
      const file = path.join(root.dir, ...parts) + '.json';
      if (!file.startsWith(root.dir + path.sep)) throw notFound();
      return fsp.readFile(file, 'utf8');
    }
    throw notFound();
  }
  return [...Object.keys(node.d ?? {}), ...(node.f ?? []).map((fn) => ({ fn }))];
}
