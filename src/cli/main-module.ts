// Gives CommonJS node packages a `require.main` when Crimson runs as its command. Started as an ES module,
// Node leaves require.main undefined, yet packages written for Node-RED read it (to require from the
// application, or to find the application's package.json, as Dashboard 2.0 does for third-party widgets);
// under Node-RED it is red.js. Here it is the crimson executable's file, made the process's main module.
import Module from 'node:module';
import path from 'node:path';

type ModuleStatics = typeof Module & { _nodeModulePaths(dir: string): string[] };

/** Makes `file` the main module, unless the process already has one. */
export function setMainModule(file: string): void {
  if (process.mainModule) return;
  const main = new Module(file);
  main.filename = file;
  main.paths = (Module as ModuleStatics)._nodeModulePaths(path.dirname(file));
  main.loaded = true;
  process.mainModule = main;
}
