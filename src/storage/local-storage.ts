// The userDir storage (Node-RED's localfilesystem layout): flows + credentials committed together,
// credential key handling, and the small JSON files (.config.*.json, .sessions.json, .tokens.json).
import { promises as fsp } from 'node:fs';
import type { Logger } from '../runtime/logger.js';
import type { AccessTokenRecord, CredentialMap, FlowConfig, FlowStorage, Session, StoredFlows } from '../runtime/types.js';
import { copyIfExists, onPathQueue, pathExists, replaceFile } from './atomic-write.js';
import { afterRewrite, decodeCredentials, encodeCredentials, planKeys, SYSTEM_KEY_WARNING } from './credential-keys.js';
import type { EncryptionType, KeyPlan } from './credential-keys.js';
import { commitFiles, recoverCommit } from './flows-commit.js';
import type { CommitFile, CommitHook } from './flows-commit.js';
import { flowsRev, readCredentialsFile, readFlowsFile, withoutInlineCredentials } from './flows-file.js';
import { isPlainObject } from './json-file.js';
import { createJsonStore } from './json-store.js';
import { resolveLayout } from './layout.js';

export interface LocalStorageOptions {
  userDir: string;
  flowFile?: string;
  flowFilePretty?: boolean;
  /** string = user key; undefined = generated `_credentialSecret`; false = plaintext credentials. */
  credentialSecret?: string | false;
  readOnly?: boolean;
  logger: Logger;
  /** Tests only: called between the steps of a flows commit; throwing stops the commit as a crash would. */
  commitHook?: CommitHook;
}

export interface LocalStorage extends FlowStorage {
  encryptionType(): EncryptionType;
  /** Why the credentials file could not be read at the last load (credentials then start empty), or null. */
  credentialsLoadError(): string | null;
}

export function createLocalStorage(opts: LocalStorageOptions): LocalStorage {
  const { logger } = opts;
  const readOnly = opts.readOnly === true;
  const pretty = opts.flowFilePretty === true;
  const layout = resolveLayout(opts.userDir, opts.flowFile);
  const targets = { flows: layout.flows, credentials: layout.credentials };
  const store = (file: string, backup: boolean, indent: boolean) =>
    createJsonStore({ file, backup: backup ? `${file}.backup` : undefined, pretty: indent, readOnly, logger });
  const runtimeStore = store(layout.runtimeConfig, true, true);
  const usersStore = store(layout.users, true, true);
  const nodesStore = store(layout.nodes, true, true);
  const sessionsStore = store(layout.sessions, false, false);
  // no backup: restoring an older copy of a damaged file would bring revoked tokens back to life
  const accessTokensStore = store(layout.accessTokens, false, false);

  let plan: KeyPlan;
  /** Read-only mode: committed temps read in place of their targets. */
  let redirects = new Map<string, string>();
  /** JSON of the cleartext credentials the file on disk holds; null when unknown. */
  let credentialsOnDisk: string | null = null;
  let credentialsRewrite = true;
  let loadError: string | null = null;
  let flowsCorrupt = false;
  let recoveryPending = false;
  let initialised: Promise<void> | undefined;

  /** .config.runtime.json content with `_credentialSecret` as the key plan needs it. */
  function withSystemSecret(config: Record<string, unknown>): Record<string, unknown> {
    const out = { ...config };
    if (plan.systemSecret) out._credentialSecret = plan.systemSecret;
    else delete out._credentialSecret;
    return out;
  }

  async function init(): Promise<void> {
    if (!readOnly) await fsp.mkdir(layout.userDir, { recursive: true });
    redirects = await recoverCommit(layout.commitJournal, targets, { readOnly, logger });
    const runtimeConfig = await runtimeStore.get();
    plan = planKeys(opts.credentialSecret, runtimeConfig._credentialSecret);
    if (plan.generated) await runtimeStore.save(withSystemSecret(runtimeConfig));
    if (plan.type === 'system') logger.warn(SYSTEM_KEY_WARNING);
  }
  const ready = () => (initialised ??= init());
  const source = (target: string) => redirects.get(target) ?? target;

  async function loadCredentials(): Promise<CredentialMap> {
    const read = await readCredentialsFile(source(layout.credentials), layout.credentialsBackup, logger);
    const decoded = read.error ? { credentials: {}, rewrite: true, error: read.error } : decodeCredentials(read.value, plan);
    if (decoded.error) {
      logger.error(`Error loading credentials: ${decoded.error}. Starting with no credentials; ${layout.credentials} is kept until the next deploy.`);
    } else if (decoded.warning) {
      logger.warn(decoded.warning);
    }
    loadError = decoded.error ?? null;
    credentialsOnDisk = decoded.error ? null : JSON.stringify(decoded.credentials);
    credentialsRewrite = decoded.rewrite;
    return decoded.credentials;
  }

  /** Runs `task` holding the queues of both files, so it never overlaps a commit. */
  const withBothFiles = <T>(task: () => Promise<T>) =>
    onPathQueue(layout.flows, () => onPathQueue(layout.credentials, task));

  async function getFlows(): Promise<StoredFlows> {
    await ready();
    return withBothFiles(async () => {
      const read = await readFlowsFile({
        source: source(layout.flows),
        backup: layout.flowsBackup,
        logger,
        restore: readOnly ? undefined : (text) => replaceFile(layout.flows, text),
      });
      flowsCorrupt = read.corrupt;
      const credentials = await loadCredentials();
      return { flows: read.flows, credentials, rev: flowsRev(read.flows) };
    });
  }

  async function commit(flowsData: string, credentials: CredentialMap): Promise<void> {
    if (recoveryPending) {
      await recoverCommit(layout.commitJournal, targets, { readOnly, logger });
      recoveryPending = false;
    }
    const credentialsJson = JSON.stringify(credentials);
    const writeCredentials = credentialsRewrite || credentialsJson !== credentialsOnDisk;
    const files: CommitFile[] = [
      { name: 'flows', target: layout.flows, data: flowsData, backup: flowsCorrupt ? undefined : layout.flowsBackup },
    ];
    if (writeCredentials) {
      files.push({ name: 'credentials', target: layout.credentials, data: encodeCredentials(credentials, plan, pretty), backup: layout.credentialsBackup });
    }
    if (flowsCorrupt) {
      const aside = `${layout.flows}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      if (await copyIfExists(layout.flows, aside)) logger.warn(`Kept the unreadable flow file as ${aside}`);
    }
    try {
      await commitFiles(layout.commitJournal, files, opts.commitHook);
    } catch (err) {
      if (await pathExists(layout.commitJournal)) recoveryPending = true;
      throw err;
    }
    flowsCorrupt = false;
    if (!writeCredentials) return;
    credentialsOnDisk = credentialsJson;
    credentialsRewrite = false;
    loadError = null;
    if (plan.migrating) {
      plan = afterRewrite(plan);
      await runtimeStore.save(withSystemSecret(await runtimeStore.get()));
    }
  }

  async function saveFlows(flows: FlowConfig, credentials: CredentialMap): Promise<string> {
    if (!Array.isArray(flows)) throw new TypeError('saveFlows: flows must be an array');
    if (!isPlainObject(credentials)) throw new TypeError('saveFlows: credentials must be an object');
    await ready();
    const stored = withoutInlineCredentials(flows);
    const compact = JSON.stringify(stored);
    const rev = flowsRev(stored, compact);
    if (readOnly) return rev;
    const flowsData = pretty ? JSON.stringify(stored, null, 4) : compact;
    await withBothFiles(() => commit(flowsData, credentials));
    return rev;
  }

  return {
    init: ready,
    getFlows,
    saveFlows,
    encryptionType: () => plan?.type ?? (opts.credentialSecret === false ? 'disabled' : typeof opts.credentialSecret === 'string' ? 'user' : 'system'),
    credentialsLoadError: () => loadError,
    async getSessions() {
      await ready();
      return (await sessionsStore.get()) as Record<string, Session>;
    },
    async saveSessions(sessions) {
      await ready();
      await sessionsStore.save(sessions);
    },
    async getAccessTokens() {
      await ready();
      return (await accessTokensStore.get()) as Record<string, AccessTokenRecord>;
    },
    async saveAccessTokens(tokens) {
      await ready();
      await accessTokensStore.save(tokens);
    },
    async getRuntimeConfig() {
      await ready();
      return runtimeStore.get();
    },
    async saveRuntimeConfig(config) {
      await ready();
      if (!isPlainObject(config)) throw new TypeError('saveRuntimeConfig: config must be an object');
      await runtimeStore.save(withSystemSecret(config));
    },
    async getUserSettings() {
      await ready();
      return (await usersStore.get()) as Record<string, Record<string, unknown>>;
    },
    async saveUserSettings(settings) {
      await ready();
      await usersStore.save(settings);
    },
    async getNodeConfig() {
      await ready();
      return nodesStore.get();
    },
    async saveNodeConfig(config) {
      await ready();
      await nodesStore.save(config);
    },
  };
}
