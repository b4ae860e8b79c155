// Node icons: GET <admin>/icons lists the icon files of each module (core: @node-red/nodes/icons), GET
// <admin>/icons/<module>/<file> serves one; an icon that cannot be found gets Node-RED's default icon.
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import { coreIconsDir, defaultNodeIcon } from './files.js';

/** Icon folders by module name (only the core module has icons today). */
const iconDirs = (): Map<string, string> => new Map([['node-red', coreIconsDir()]]);

export function listIcons(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [module, dir] of iconDirs()) {
    try {
      const files = fs.readdirSync(dir).filter((f) => !f.startsWith('.') && fs.statSync(path.join(dir, f)).isFile()).sort();
      if (files.length > 0) out[module] = files;
    } catch { /* no icons */ }
  }
  return out;
}

export function sendIcon(req: Request, res: Response): void {
  const p = req.params as Record<string, string | undefined>;
  const module = p.scope ? `${p.scope}/${p.module}` : p.module!;
  const icon = p.icon!;
  const dir = iconDirs().get(module);
  const file = dir && !icon.includes('/') && !icon.includes('\\') && !icon.startsWith('.') ? path.join(dir, icon) : undefined;
  const found = file && fs.existsSync(file) && fs.statSync(file).isFile() ? file : defaultNodeIcon();
  res.sendFile(found, (err) => { if (err && !res.headersSent) res.sendStatus(404); });
}
