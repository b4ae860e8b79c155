// Modules that nodes name in their config (functionExternalModules: a function node's `libs`, the property a
// type registers as its dynamicModuleList), as Node-RED 4 handles them: before flows start, each one that is
// neither a Node.js built-in nor a dependency of <userDir>/package.json is installed there with npm (one at a
// time), within externalModules.modules.allowInstall / allowList / denyList; RED.require / RED.import then
// load only built-ins, registered node modules and those dependencies ("Module not allowed" otherwise).
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules, createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../runtime/logger.js';
import type { NodeConfig } from '../runtime/types.js';
import type { Settings } from '../settings/types.js';
import { isModuleAllowed, moduleLists } from './loader/module-list.js';
import { isValidPackageName } from './installer/index.js';
import type { Registry } from './registry.js';

export interface ModuleSpec { spec: string; module: string; subpath: string; version?: string; builtin: boolean }

/** One module that could not be made available to the flows, and why (an error `code`). */
export interface DependencyFailure { module: ModuleSpec; error: Error & { code?: string | number } }

export interface ExternalModules {
  /** Installs what the flows' nodes need and is missing; rejects with the failures (the flows then stay stopped). */
  checkFlowDependencies(flows: NodeConfig[]): Promise<void>;
  require(name: string): unknown;
  import(name: string): Promise<unknown>;
}

export interface ExternalModulesDeps {
  userDir: string;
  settings: Settings;
  logger: Logger;
  registry: Registry;
  /** Runs `npm install <spec>` in the userDir (queued with the palette's installs); rejects with npm's output. */
  npmInstall(spec: string, args: string[]): Promise<void>;
  hooks?: { trigger(point: string, payload: unknown): Promise<unknown> };
}

export function parseModuleSpec(spec: string): ModuleSpec | undefined {
  const m = /((?:@[^/]+\/)?[^/@]+)(\/[^/@]+)?(?:@([\s\S]+))?/.exec(spec);
  if (!m) return undefined;
  const module = m[1]!;
  const bare = module.startsWith('node:') ? module.slice(5) : module;
  return { spec, module, subpath: m[2] ?? '', version: m[3], builtin: builtinModules.includes(bare) };
}

const failure = (message: string, code: string | number): Error & { code: string | number } => Object.assign(new Error(message), { code });

export function createExternalModules(deps: ExternalModulesDeps): ExternalModules {
  const { userDir, settings, logger, registry } = deps;
  const policy = (settings.externalModules as { modules?: { allowInstall?: unknown; allowList?: unknown; denyList?: unknown } } | undefined)?.modules;
  const { allow, deny } = moduleLists(policy);
  const installEnabled = policy?.allowInstall === undefined ? true : !!policy.allowInstall;
  const fromUserDir = createRequire(path.join(userDir, 'package.json'));

  /** The dependencies of <userDir>/package.json: the modules nodes may load. */
  const known = (): Record<string, string> => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(userDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
    } catch {
      return {};
    }
  };

  async function ensurePackageFile(): Promise<void> {
    const file = path.join(userDir, 'package.json');
    if (fs.existsSync(file)) return;
    await fs.promises.mkdir(userDir, { recursive: true });
    await fs.promises.writeFile(file, JSON.stringify({
      name: 'Node-RED-External-Modules',
      description: 'These modules are automatically installed by Node-RED to use in Function nodes.',
      version: '1.0.0', private: true, dependencies: {},
    }, null, 4));
  }

  async function install(m: ModuleSpec): Promise<void> {
    if (!isModuleAllowed(m.module, m.version, allow, deny)) throw failure('Install not allowed', 'install_not_allowed');
    if (!isValidPackageName(m.module)) throw failure('Invalid module name', 'install_not_allowed');
    const spec = m.version ? `${m.module}@${m.version}` : m.module;
    logger.info(`Installing module: ${m.module}, version: ${m.version || 'latest'}`);
    await ensurePackageFile();
    const payload = { module: m.module, version: m.version, dir: userDir, args: ['--omit=dev', '--engine-strict'] };
    try {
      if ((await deps.hooks?.trigger('preInstall', payload)) !== false) await deps.npmInstall(spec, payload.args);
      await deps.hooks?.trigger('postInstall', payload);
    } catch (err) {
      const output = String((err as { stderr?: unknown })?.stderr ?? err);
      if (/E404|ETARGET/.test(output)) {
        logger.error(`Installation of module ${spec} failed: module not found`);
        throw failure('Module not found', 404);
      }
      logger.error(`Installation of module ${spec} failed:`);
      logger.error('------------------------------------------');
      logger.error(output);
      logger.error('------------------------------------------');
      throw failure('Install failed', 'unexpected_error');
    }
    logger.info(`Installed module: ${spec}`);
  }

  /** A module a node may load: allowed by the lists, and a built-in or a dependency of the userDir. */
  function checked(name: string): ModuleSpec {
    const m = parseModuleSpec(name);
    if (!m || !isModuleAllowed(m.module, undefined, allow, deny) || (!m.builtin && !known()[m.module])) {
      throw failure('Module not allowed', 'module_not_allowed');
    }
    return m;
  }

  /** A registered node module's folder (RED.require of a node package loads it from there). */
  const nodeModulePath = (name: string) => registry.module(name)?.path;

  return {
    async checkFlowDependencies(flows) {
      const have = known();
      const seen = new Set<string>();
      const failures: DependencyFailure[] = [];
      const installs: Array<Promise<void>> = [];
      const list = [...flows];
      const modulesSeen = new Set<string>();
      for (let i = 0; i < list.length; i++) {
        const n = list[i]!;
        if (!n || n.d) continue;
        const entry = registry.get(n.type);
        // the nodes inside a subflow module are checked too (once per module type)
        if (entry?.subflow && !modulesSeen.has(n.type)) {
          modulesSeen.add(n.type);
          list.push(...(entry.subflow.flow ?? []));
          continue;
        }
        const prop = entry?.opts.dynamicModuleList;
        if (!prop) continue;
        const value = (n as Record<string, unknown>)[prop];
        for (const entry of Array.isArray(value) ? value : value ? [value] : []) {
          const name = typeof entry === 'string' ? entry : String((entry as { module?: unknown })?.module ?? '');
          const m = name ? parseModuleSpec(name) : undefined;
          if (!m || seen.has(m.module)) continue;
          seen.add(m.module);
          if (m.builtin || have[m.module]) {
            if (!isModuleAllowed(m.module, m.version, allow, deny)) failures.push({ module: m, error: failure('Module not allowed', 'module_not_allowed') });
          } else if (!installEnabled) {
            failures.push({ module: m, error: failure('Module install disabled - externalModules.modules.allowInstall=false', 'install_not_allowed') });
          } else {
            installs.push(install(m).catch((error) => { failures.push({ module: m, error }); }));
          }
        }
      }
      await Promise.all(installs);
      if (failures.length > 0) throw failures;
    },
    require(name) {
      const own = nodeModulePath(name);
      if (own) return createRequire(path.join(own, 'package.json'))(own);
      const m = checked(name);
      return m.builtin ? createRequire(import.meta.url)(m.module + m.subpath) : fromUserDir(m.module + m.subpath);
    },
    async import(name) {
      const own = nodeModulePath(name);
      if (own) return import(pathToFileURL(createRequire(path.join(own, 'package.json')).resolve(own)).href);
      const m = checked(name);
      if (m.builtin) return import(m.module + m.subpath);
      return import(pathToFileURL(fromUserDir.resolve(m.module + m.subpath)).href);
    },
  };
}
