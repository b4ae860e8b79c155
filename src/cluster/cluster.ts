// One instance's membership of a cluster: the Redis connection, the flows and credentials kept there, and the
// deploys of the other instances followed here (applied with their deploy type, within a few ms of their
// publication). A subscription lost and regained re-reads the rev: a deploy missed meanwhile is applied then.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../runtime/logger.js';
import type { FlowStorage, StoredFlows } from '../runtime/types.js';
import { connectRedis, type RedisConnection } from '../runtime/context/redis-connection.js';
import { createClusterFlowStorage, eventsChannel, type ClusterFlowStorage, type DeployEvent } from './flow-storage.js';
import { defaultInstanceId, type ClusterOptions } from './options.js';
import { startCommsRelay, type CommsRelay } from './comms-relay.js';
import type { EventEmitter } from 'node:events';
import { createClusterSessions, type ClusterSessions, type RevokeEvent } from './shared-sessions.js';
import { createLeaderLease } from './leader-lease.js';
import { createMembers, type ClusterView } from './members.js';
import { createClusterLoginThrottle } from './login-throttle.js';
import { createClusterLibrary } from './library.js';
import { createClusterModules, type ClusterModules, type ModulesEvent } from './modules.js';
import type { LocalLibrary } from '../storage/library.js';
import { createSharedHash, type SharedHash, type TableEvent, type TableKind } from './shared-hash.js';
import type { AccessTokenRecord } from '../runtime/types.js';
import type { LoginThrottle } from '../auth/throttle.js';
import { createLeadership, type Leadership } from '../runtime/leadership.js';
import { createFiredMarks } from './fired-marks.js';

/** What a cluster member follows: the flows manager's remote-deploy entry, current rev and run state. */
export interface Follower {
  readonly rev: string;
  getFlows(): StoredFlows;
  follow(rev: string, type: string): Promise<void>;
  setState(state: 'start' | 'stop', opts: { remote?: boolean }): Promise<unknown>;
  onStateChange?: (state: 'start' | 'stop') => void;
}

/** A start/stop of every flow asked of one instance (POST /flows/state). */
interface StateEvent { t: 'state'; o: string; state: 'start' | 'stop' }

export interface Cluster<L extends FlowStorage> {
  options: ClusterOptions;
  storage: L & ClusterFlowStorage;
  /** Login sessions shared by the instances. */
  sessions: ClusterSessions;
  /** The table of node set states (set-states.ts uses it). */
  setStatesTable: SharedHash<boolean>;
  /** The node modules installed from the palette, shared. */
  modules: ClusterModules;
  /** The local library, shared. */
  library: LocalLibrary;
  /** Login attempts counted across the instances. */
  loginThrottle: LoginThrottle;
  /** Whether this instance holds the leader lease (runs scheduled work). */
  leadership: Leadership;
  /** Shares debug messages and node status with the other instances, and joins GET /cluster (once listening). */
  shareComms(events: EventEmitter, address: { host: string; port: number } | undefined, rev: () => string): Promise<void>;
  /** GET /cluster: the instances heard from, and which leads. */
  view(): Promise<ClusterView>;
  /** Whether Redis answers now. */
  ready(): boolean;
  /** Starts following the other instances' deploys (after the flows were read); `reload` when another changed a shared table. */
  follow(flows: Follower, reload?: Partial<Record<TableKind, () => Promise<void>>> & { modules?(event: ModulesEvent): Promise<void> }): Promise<void>;
  close(): Promise<void>;
}

export function createCluster<L extends FlowStorage>(options: ClusterOptions, deps: {
  local: L; credentialSecret: unknown; logger: Logger; flowFilePretty?: boolean; readOnly?: boolean;
}): Cluster<L> {
  const { logger } = deps;
  const origin = randomUUID();
  let conn: RedisConnection | undefined;
  const flowStorage = createClusterFlowStorage({
    connect: async () => (conn = await connectRedis(options.url, logger, `cluster '${options.name}'`, options.tls)),
    name: options.name, origin, credentialSecret: deps.credentialSecret, local: deps.local, logger,
  });
  // access tokens (records with the value's hash only) and users' settings: a Redis hash each, an entry per field
  const table = <T>(suffix: string, kind: TableKind) =>
    createSharedHash<T>({ key: `${options.name}:${suffix}`, kind, origin, channel: eventsChannel(options.name), connection: () => conn });
  const tokens = table<AccessTokenRecord>('tokens', 'tokens');
  const users = table<Record<string, unknown>>('users', 'users');
  const storage = {
    ...flowStorage,
    getAccessTokens: () => tokens.read(),
    saveAccessTokens: (entries: Record<string, AccessTokenRecord>) => tokens.save(entries),
    getUserSettings: () => users.read(),
    saveUserSettings: (entries: Record<string, Record<string, unknown>>) => users.save(entries),
  };
  const sessions = createClusterSessions({ name: options.name, origin, channel: eventsChannel(options.name), connection: () => conn });
  const leadership = createLeadership(createFiredMarks({ name: options.name, connection: () => conn }));
  const lease = createLeaderLease({
    connection: () => conn, name: options.name, id: origin, leaseMs: options.leaseMs,
    onChange: (leading) => leadership.set(leading), logger,
  });
  let relay: CommsRelay | undefined;
  const members = createMembers({ name: options.name, origin, leaseMs: options.leaseMs, connection: () => conn });
  let modulesQueue: Promise<unknown> = Promise.resolve();
  const followLogged = (flows: Follower, rev: string, type: string) =>
    flows.follow(rev, type).catch((err: unknown) => logger.error(`Cluster '${options.name}': could not apply the deploy of rev ${rev}: ${String(err)}`));

  return {
    options,
    storage,
    sessions,
    loginThrottle: createClusterLoginThrottle({ name: options.name, connection: () => conn }),
    setStatesTable: table<boolean>('set-states', 'sets'),
    modules: createClusterModules({ name: options.name, origin, channel: eventsChannel(options.name), connection: () => conn, logger }),
    library: createClusterLibrary({ name: options.name, connection: () => conn, pretty: deps.flowFilePretty, readOnly: deps.readOnly }),
    leadership,
    async shareComms(events, address, rev) {
      if (!conn) throw new Error('cluster: storage not initialised');
      options.instanceId ??= defaultInstanceId(address?.port);
      relay = await startCommsRelay({ conn, name: options.name, origin, instanceId: () => options.instanceId!, events, logger });
      const shown = address ? `${address.host}:${address.port}` : '';
      members.start(() => ({ id: options.instanceId!, address: shown, rev: rev() }));
    },
    view: () => members.view(),
    ready: () => !!conn?.ready,
    async follow(flows, reload = {}) {
      if (!conn) throw new Error('cluster: storage not initialised');
      const c = conn;
      const channel = eventsChannel(options.name);
      flows.onStateChange = (state) => {
        const event: StateEvent = { t: 'state', o: origin, state };
        c.client.publish(channel, JSON.stringify(event)).catch((err: unknown) => logger.warn(`Cluster '${options.name}': could not pass on the flows state: ${String(err)}`));
      };
      await conn.subscribe(channel, (message) => {
        let event: DeployEvent | StateEvent | RevokeEvent | TableEvent | ModulesEvent;
        try { event = JSON.parse(message) as DeployEvent | StateEvent | RevokeEvent | TableEvent | ModulesEvent; } catch { return; }
        if (event.o === origin) return;
        if (event.t === 'modules') {
          // npm runs one after another, as the palette's own installs do
          modulesQueue = modulesQueue.then(() => reload.modules?.(event as ModulesEvent)).catch((err: unknown) => logger.warn(`Cluster '${options.name}': modules not followed: ${String(err)}`));
        }
        if (event.t === 'tokens' || event.t === 'users' || event.t === 'sets') {
          const kind = event.t;
          reload[kind]?.().catch((err: unknown) => logger.warn(`Cluster '${options.name}': ${kind} not reloaded: ${String(err)}`));
        }
        if (event.t === 'revoke' && typeof event.hash === 'string') sessions.revoked(event.hash);
        if (event.t === 'deploy' && typeof event.rev === 'string') void followLogged(flows, event.rev, String(event.type));
        if (event.t === 'state' && (event.state === 'start' || event.state === 'stop')) {
          flows.setState(event.state, { remote: true }).catch((err: unknown) => logger.error(`Cluster '${options.name}': could not ${event.state} the flows: ${String(err)}`));
        }
      }, async () => {
        // back after an outage: a Redis that lost its data gets this instance's flows, else a missed deploy is applied
        if (!(await storage.hasFlows()) && (await storage.reseed(flows.getFlows()))) return;
        const stored = await storage.getFlows();
        if (stored.rev !== flows.rev) await followLogged(flows, stored.rev, 'full');
      });
      // a deploy published between the read and the subscription
      const stored = await storage.getFlows();
      if (stored.rev !== flows.rev) await followLogged(flows, stored.rev, 'full');
      // the lease is tried before the flows start: the first instance of a cluster starts leading
      await lease.start();
    },
    async close() {
      relay?.stop();
      relay = undefined;
      await members.stop();
      await lease.stop();
      const c = conn;
      conn = undefined;
      await c?.close();
    },
  };
}
