// Node icons as Node-RED's registry keeps them: GET <admin>/icons lists each module's icon files (the core
// module "node-red": @node-red/nodes/icons, then <userDir>/lib/icons; a package: the icons/ folder beside each
// of its set files), GET <admin>/icons/<module>/<file> serves one, looked up in the module's folders, then in
// the core module's, else editor-client's default icon.
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import { express } from '../runtime/util/deps.js';
import type { AdminDeps } from '../admin/deps.js';
import { stripPaths } from '../errors.js';
import { coreIconsDir, defaultNodeIcon } from './files.js';

const ICON_EXTENSIONS = new Set(['.png', '.gif', '.svg']);
const CORE = 'node-red';

const isDir = (dir: string): boolean => {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

/** The icon files of a folder: .png/.gif/.svg, a .png or .gif dropped when an .svg of the same name exists. */
function scanIconDir(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
  const icons = names.filter((f) => {
    try {
      return ICON_EXTENSIONS.has(path.extname(f).toLowerCase()) && fs.statSync(path.join(dir, f)).isFile();
    } catch {
      return false;
    }
  });
  const svgs = new Set(icons.filter((f) => /\.svg$/i.test(f)).map((f) => f.slice(0, -4)));
  return icons.filter((f) => /\.svg$/i.test(f) || !svgs.has(f.slice(0, -4)));
}

export interface Icons {
  /** Icon folders by module, in registry order (the core module first). */
  dirs(): Map<string, string[]>;
  list(): Record<string, string[]>;
  /** The file of an icon (module folders, then the core module's); undefined when none. Throws on `..`. */
  find(module: string, icon: string): string | undefined;
}

export function createIcons(deps: Pick<AdminDeps, 'registry' | 'userDir'>): Icons {
  const coreDirs = (): string[] => {
    const out = [coreIconsDir()];
    const lib = path.join(deps.userDir, 'lib', 'icons');
    if (scanIconDir(lib).length > 0) out.push(lib);
    out.push(...(deps.registry.module(CORE)?.iconDirs ?? []));
    return out;
  };
  const moduleDirs = (name: string): string[] | undefined => {
    if (name === CORE) return coreDirs();
    const m = deps.registry.module(name);
    if (!m) return undefined;
    const dirs: string[] = [];
    for (const s of m.sets) {
      if (!s.file) continue;
      const dir = path.join(path.dirname(path.resolve(m.path ?? '', s.file)), 'icons');
      if (!dirs.includes(dir) && isDir(dir)) dirs.push(dir);
    }
    return dirs;
  };
  const icons: Icons = {
    dirs() {
      const out = new Map<string, string[]>([[CORE, coreDirs()]]);
      for (const m of deps.registry.modules()) if (m.name !== CORE) out.set(m.name, moduleDirs(m.name)!);
      return out;
    },
    list() {
      const out: Record<string, string[]> = {};
      for (const [name, dirs] of icons.dirs()) out[name] = dirs.flatMap(scanIconDir);
      return out;
    },
    find(module, icon) {
      if (icon.includes('..')) throw new Error();
      for (const dir of moduleDirs(module) ?? []) {
        const file = path.join(dir, icon);
        if (fs.existsSync(file)) return file;
      }
      return module === CORE ? undefined : icons.find(CORE, icon);
    },
  };
  return icons;
}

/** GET /icons/:module/:icon and /icons/:scope/:module/:icon (public, as the editor loads them with <img>). */
export function iconHandler(icons: Icons) {
  return async (req: Request, res: Response): Promise<void> => {
    const p = req.params as Record<string, string | undefined>;
    const module = p.scope ? `${p.scope}/${p.module}` : p.module!;
    const icon = p.icon!;
    let file: string | undefined;
    let data: Buffer;
    try {
      file = icons.find(module, icon);
      if (!file) {
        res.sendFile(defaultNodeIcon(), (err) => { if (err && !res.headersSent) res.sendStatus(404); });
        return;
      }
      data = await fs.promises.readFile(file);
    } catch (err) {
      // Node-RED answers a bad name or an unreadable file in its {code, message} shape, status 400
      const e = err as NodeJS.ErrnoException;
      res.status(400).json({ code: e.code || 'unexpected_error', message: stripPaths(e.message || 'Error') });
      return;
    }
    // sent from memory as Node-RED does: ETag from the content, no static-file caching headers
    res.set('Content-Type', express.static.mime.lookup(icon));
    res.send(data);
  };
}
