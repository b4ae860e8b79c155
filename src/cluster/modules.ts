// The node modules a cluster's users installed from the palette (POST /nodes by name or URL): `<name>:modules`
// holds, per module, what to give npm to install it again. An install or removal on one instance is recorded
// there and published; the others install or remove the same module (npm, then loaded or dropped at once, as
// the palette does), and an instance that starts without a module of the cluster installs it before its flows
// start. A module uploaded as a .tgz travels as its bytes (`<name>:modules:tarball:<module>`, base64).
import { promises as fsp } from 'node:fs';
import type { Logger } from '../runtime/logger.js';
import type { RedisConnection } from '../runtime/context/redis-connection.js';
import type { InstallSpec } from '../registry/installer/index.js';
import type { Palette } from '../registry/palette.js';

/** An install or removal published by one instance. */
export interface ModulesEvent { t: 'modules'; o: string; added?: string; removed?: string }

/** What an instance needs to follow the cluster's modules. */
export interface ModuleHost {
  palette: Palette;
  /** The version of a module this instance loaded as the user's, or undefined. */
  userModule(name: string): string | undefined;
  /** The modules the user installed here (name and version). */
  userModules(): Array<{ name: string; version: string }>;
}

/** What installs a module again; `tarball`: its uploaded bytes are kept beside the list. */
type Spec = Pick<InstallSpec, 'module' | 'version' | 'url'> & { tarball?: boolean };

export interface ClusterModules {
  /** The palette of `host` with its installs and removals recorded for the cluster. */
  sharedPalette(host: ModuleHost): Palette;
  /** Installs the cluster's modules this instance lacks; records the ones only this instance has. */
  sync(host: ModuleHost): Promise<void>;
  /** An install or removal published by another instance. */
  apply(host: ModuleHost, event: ModulesEvent): Promise<void>;
}

export function createClusterModules(opts: { name: string; origin: string; channel: string; connection: () => RedisConnection | undefined; logger: Logger }): ClusterModules {
  const key = `${opts.name}:modules`;
  const tarballKey = (module: string) => `${key}:tarball:${module}`;
  const client = () => {
    const c = opts.connection();
    if (!c) throw new Error('cluster: not connected');
    return c.client;
  };
  const publish = (event: Omit<ModulesEvent, 't' | 'o'>) => JSON.stringify({ t: 'modules', o: opts.origin, ...event });
  const read = async (): Promise<Record<string, Spec>> => {
    const out: Record<string, Spec> = {};
    for (const [name, json] of Object.entries(await client().hGetAll(key))) {
      try { out[name] = JSON.parse(json) as Spec; } catch { /* not a spec: ignored */ }
    }
    return out;
  };
  const installHere = async (host: ModuleHost, name: string, spec: Spec) => {
    const have = host.userModule(name);
    if (have !== undefined && (spec.version === undefined || have === spec.version)) return;
    opts.logger.info(`Cluster '${opts.name}': installing ${name}${spec.version ? `@${spec.version}` : ''}, installed on another instance`);
    try {
      if (spec.tarball) {
        const bytes = await client().get(tarballKey(name));
        if (!bytes) throw new Error('its uploaded package is not in Redis');
        await host.palette.install({ tarball: Buffer.from(bytes, 'base64') });
      } else {
        await host.palette.install({ module: spec.module ?? name, version: spec.version, url: spec.url });
      }
    } catch (err) {
      opts.logger.warn(`Cluster '${opts.name}': could not install ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return {
    sharedPalette(host) {
      return {
        async install(spec) {
          const installed = await host.palette.install(spec);
          const name = installed.module.name;
          const version = installed.pendingVersion ?? installed.module.version;
          const tx = client().multi();
          if (spec.tarball !== undefined) {
            const bytes = Buffer.isBuffer(spec.tarball) ? spec.tarball : await fsp.readFile(spec.tarball);
            tx.set(tarballKey(name), bytes.toString('base64'));
            tx.hSet(key, name, JSON.stringify({ module: name, version, tarball: true } satisfies Spec));
          } else {
            tx.hSet(key, name, JSON.stringify({ module: spec.module ?? name, version, url: spec.url } satisfies Spec));
          }
          await tx.publish(opts.channel, publish({ added: name })).exec();
          return installed;
        },
        async uninstall(name) {
          await host.palette.uninstall(name);
          await client().multi().hDel(key, name).del(tarballKey(name)).publish(opts.channel, publish({ removed: name })).exec();
        },
      };
    },
    async sync(host) {
      const shared = await read();
      for (const [name, spec] of Object.entries(shared)) await installHere(host, name, spec);
      const mine = host.userModules().filter((m) => !(m.name in shared));
      if (mine.length === 0) return;
      const tx = client().multi();
      for (const m of mine) tx.hSet(key, m.name, JSON.stringify({ module: m.name, version: m.version }));
      await tx.exec();
    },
    async apply(host, event) {
      if (event.added) {
        const spec = (await read())[event.added];
        if (spec) await installHere(host, event.added, spec);
      }
      if (event.removed && host.userModule(event.removed) !== undefined) {
        opts.logger.info(`Cluster '${opts.name}': removing ${event.removed}, removed on another instance`);
        try {
          await host.palette.uninstall(event.removed);
        } catch (err) {
          opts.logger.warn(`Cluster '${opts.name}': could not remove ${event.removed}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    },
  };
}
