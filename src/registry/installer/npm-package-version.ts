// The version of the npm a command names, read from npm's own package.json without running it: starting
// npm is a whole Node process (a few hundred ms of CPU taken from the flows on a small machine). Known only
// when the command is npm's own launcher (on PATH or a path, usually a link to npm/bin/npm-cli.js); for
// anything else (a wrapper script, a shim) the caller has to run it and ask.
import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { windowsNpmCli } from './npm-run.js';

/** Where `command` is: itself when it has a directory part, else the first executable of that name on PATH. */
function locate(command: string): string | undefined {
  if (process.platform === 'win32' && command === 'npm') return windowsNpmCli();
  if (command.includes('/') || command.includes(path.sep)) return command;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch { /* not here */ }
  }
  return undefined;
}

export function npmPackageVersion(command: string): string | undefined {
  try {
    const file = locate(command);
    if (!file) return undefined;
    const cli = realpathSync(file);
    if (path.basename(cli) !== 'npm-cli.js' || path.basename(path.dirname(cli)) !== 'bin') return undefined;
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(cli), '..', 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return pkg.name === 'npm' && typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
