// Flows and credentials of a cluster, in Redis: `<name>:flows` (the flows JSON), `<name>:credentials` (encrypted
// with credentialSecret, as flows_cred.json is), `<name>:rev`. A save is one Lua script: it compares the rev
// when the deploy gave one (409 version_mismatch otherwise), writes the three keys and publishes the deploy on
// `<name>:events`, all or nothing. `<name>:credential-check` holds an HMAC of a fixed text under the cluster's
// credentialSecret: an instance with another secret refuses to start. The first instance of a new cluster
// seeds Redis with the flows of its userDir. Everything else (sessions, settings files) stays with `local`.
import { createHmac } from 'node:crypto';
import { apiError } from '../errors.js';
import type { Logger } from '../runtime/logger.js';
import type { CredentialMap, FlowConfig, FlowStorage, StoredFlows } from '../runtime/types.js';
import { decodeCredentials, encodeCredentials, planKeys, type KeyPlan } from '../storage/credential-keys.js';
import { flowsRev, withoutInlineCredentials } from '../storage/flows-file.js';
import { withinMs, type RedisConnection } from '../runtime/context/redis-connection.js';

/** How long a write waits for Redis before the deploy is answered 503 cluster_unavailable. */
const WRITE_TIMEOUT_MS = 4000;

/** What a deploy published: who, which rev, and the deploy type the other instances apply. */
export interface DeployEvent { t: 'deploy'; o: string; rev: string; type: string }

export interface ClusterFlowStorage extends FlowStorage {
  /** After Redis lost its data (restarted without persistence): writes back the flows this instance runs. */
  reseed(current: StoredFlows): Promise<boolean>;
  /** Whether Redis holds the cluster's flows. */
  hasFlows(): Promise<boolean>;
  /** Saves with the rev check done in Redis; `type` travels with the published deploy. */
  saveFlows(flows: FlowConfig, credentials: CredentialMap, opts?: { expectedRev?: string; type?: string }): Promise<string>;
}

// KEYS: rev, flows, credentials. ARGV: expected rev ('' = none), new rev, flows, credentials, channel, event.
const SAVE = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] ~= '' and current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('SET', KEYS[3], ARGV[4])
redis.call('SET', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1`;

// KEYS: rev, flows, credentials. ARGV: rev, flows, credentials. Seeds an empty cluster only.
const SEED = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[3])
redis.call('SET', KEYS[1], ARGV[1])
return 1`;

const CHECK_TEXT = 'crimson cluster credentialSecret check';

export interface ClusterFlowStorageOptions<L extends FlowStorage> {
  /** The Redis connection, opened by init(). */
  connect(): Promise<RedisConnection>;
  name: string;
  /** This instance's id in published events (unique per process). */
  origin: string;
  credentialSecret: unknown;
  local: L;
  logger: Logger;
}

/** `local` with its flows and credentials moved to Redis. */
export function createClusterFlowStorage<L extends FlowStorage>(opts: ClusterFlowStorageOptions<L>): L & ClusterFlowStorage {
  const { name, origin, local, logger } = opts;
  let conn: RedisConnection;
  const keys = { rev: `${name}:rev`, flows: `${name}:flows`, credentials: `${name}:credentials`, check: `${name}:credential-check` };
  const channel = eventsChannel(name);
  let plan: KeyPlan;
  let initialised: Promise<void> | undefined;

  async function init(): Promise<void> {
    await local.init();
    conn = await opts.connect();
    const secret = opts.credentialSecret;
    if (typeof secret !== 'string' || secret === '') {
      throw new Error('cluster: credentialSecret must be set in the settings (every instance of the cluster encrypts the credentials it keeps in Redis with it)');
    }
    plan = planKeys(secret, undefined);
    const check = createHmac('sha256', secret).update(CHECK_TEXT).digest('hex');
    await conn.client.set(keys.check, check, { NX: true });
    if ((await conn.client.get(keys.check)) !== check) {
      throw new Error(`cluster '${name}': this instance's credentialSecret differs from the one the cluster's credentials are encrypted with`);
    }
    if ((await conn.client.get(keys.rev)) === null) {
      // a new cluster starts with the flows of this instance's userDir
      const own = await local.getFlows();
      if (await seed(own)) logger.info(`Cluster '${name}': flows seeded from the user directory (${own.flows.length} nodes)`);
    }
  }
  // a failed start (Redis unreachable) is tried again by the next call
  const ready = () => (initialised ??= init().catch((err: unknown) => { initialised = undefined; throw err; }));

  async function getFlows(): Promise<StoredFlows> {
    await ready();
    const [rev, flowsJson, credentialsText] = await conn.client.mGet([keys.rev, keys.flows, keys.credentials]);
    const flows = flowsJson ? JSON.parse(flowsJson) as FlowConfig : [];
    let credentials: CredentialMap = {};
    if (credentialsText) {
      const decoded = decodeCredentials(JSON.parse(credentialsText) as unknown, plan);
      if (decoded.error) logger.error(`Error loading credentials from the cluster: ${decoded.error}`);
      credentials = decoded.credentials;
    }
    return { flows, credentials, rev: rev ?? flowsRev(flows) };
  }

  async function saveFlows(flows: FlowConfig, credentials: CredentialMap, o: { expectedRev?: string; type?: string } = {}): Promise<string> {
    await ready();
    const stored = withoutInlineCredentials(flows);
    const json = JSON.stringify(stored);
    const rev = flowsRev(stored, json);
    const event: DeployEvent = { t: 'deploy', o: origin, rev, type: o.type ?? 'full' };
    if (!conn.ready) throw apiError('cluster_unavailable');
    let saved: unknown;
    try {
      saved = await withinMs(conn.client.eval(SAVE, {
        keys: [keys.rev, keys.flows, keys.credentials],
        arguments: [o.expectedRev ?? '', rev, json, encodeCredentials(credentials, plan, false), channel, JSON.stringify(event)],
      }), WRITE_TIMEOUT_MS, `cluster '${name}'`);
    } catch (err) {
      logger.warn(`Cluster '${name}': deploy not saved: ${err instanceof Error ? err.message : String(err)}`);
      throw apiError('cluster_unavailable');
    }
    if (saved !== 1) throw apiError('version_mismatch');
    return rev;
  }

  async function seed(current: StoredFlows): Promise<boolean> {
    const stored = withoutInlineCredentials(current.flows);
    const json = JSON.stringify(stored);
    const seeded = await conn.client.eval(SEED, {
      keys: [keys.rev, keys.flows, keys.credentials],
      arguments: [flowsRev(stored, json), json, encodeCredentials(current.credentials, plan, false)],
    });
    return seeded === 1;
  }

  return {
    ...local,
    init: ready,
    getFlows,
    saveFlows,
    async reseed(current) {
      const done = await seed(current);
      if (done) logger.warn(`Cluster '${name}': Redis had lost the flows; written back from this instance (rev ${current.rev})`);
      return done;
    },
    hasFlows: async () => (await conn.client.get(keys.rev)) !== null,
  };
}

/** The channel deploys are published on. */
export const eventsChannel = (name: string) => `${name}:events`;
