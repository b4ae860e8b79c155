// <userDir>/package.json, the project npm installs modules into: created as Node-RED creates it when
// missing, and read for what it lists.
import fs from 'node:fs/promises';
import path from 'node:path';

/** Node-RED's default project file (written with 4-space indentation). */
export const DEFAULT_PACKAGE = { name: 'node-red-project', description: 'A Node-RED Project', version: '0.0.1', private: true };

/** Creates <userDir>/package.json (and userDir) when it does not exist; an existing one is left alone. */
export async function ensureUserPackage(userDir: string): Promise<void> {
  await fs.mkdir(userDir, { recursive: true });
  const file = path.join(userDir, 'package.json');
  try {
    await fs.writeFile(file, JSON.stringify(DEFAULT_PACKAGE, null, 4), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** The dependencies of <userDir>/package.json ({} when it is missing or unreadable). */
export async function userDependencies(userDir: string): Promise<Record<string, string>> {
  try {
    const pkg = JSON.parse(await fs.readFile(path.join(userDir, 'package.json'), 'utf8'));
    const deps = pkg?.dependencies;
    return deps && typeof deps === 'object' ? deps : {};
  } catch {
    return {};
  }
}

/** name, version and folder of an installed package, or undefined. */
export async function installedPackage(userDir: string, name: string): Promise<{ name: string; version: string; dir: string } | undefined> {
  const dir = path.join(userDir, 'node_modules', name);
  try {
    const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8'));
    return { name: typeof pkg.name === 'string' ? pkg.name : name, version: typeof pkg.version === 'string' ? pkg.version : '', dir };
  } catch {
    return undefined;
  }
}
