// Shared contracts between the runtime's parts: flow configs, storage, context, the event bus.
export type NodeId = string;

/** One entry of a flows array, as stored in flows.json. */
export interface NodeConfig {
  id: NodeId;
  type: string;
  z?: NodeId;
  g?: NodeId;
  name?: string;
  d?: boolean;
  wires?: NodeId[][];
  credentials?: Record<string, unknown>;
  [key: string]: unknown;
}

export type FlowConfig = NodeConfig[];

/** Credentials by node id, in clear, as the runtime holds them. */
export type CredentialMap = Record<NodeId, Record<string, unknown>>;

export interface StoredFlows {
  flows: FlowConfig;
  credentials: CredentialMap;
  rev: string;
}

/** One login session in .sessions.json. Crimson keys sessions by the sha256 hex of the token and omits
 *  accessToken; Node-RED files key them by the raw token and carry it in accessToken. */
export interface Session {
  user: string;
  client: string;
  /** Absent for a token requested without a scope (it grants nothing). */
  scope?: string | string[];
  accessToken?: string;
  expires: number;
}

/** One personal access token in .tokens.json, keyed by its id. Only the sha256 hex of the token is kept.
 *  Times are epoch milliseconds; no `expires` means the token never expires. */
export interface AccessTokenRecord {
  user: string;
  name: string;
  scope: string | string[];
  hash: string;
  created: number;
  expires?: number;
  lastUsed?: number;
}

/** Everything the runtime keeps on disk in the userDir. All writes are atomic. */
/** What a deploy tells storage: the rev it was based on (a shared store checks it) and its type. */
export interface SaveFlowsOptions { expectedRev?: string; type?: string }

export interface FlowStorage {
  init(): Promise<void>;
  /** Flows (credentials stripped), their decrypted credentials and their rev. */
  getFlows(): Promise<StoredFlows>;
  /** Saves flows and credentials together: after a crash, both files are old or both new. Returns the new rev. */
  saveFlows(flows: FlowConfig, credentials: CredentialMap, opts?: SaveFlowsOptions): Promise<string>;
  getSessions(): Promise<Record<string, Session>>;
  saveSessions(sessions: Record<string, Session>): Promise<void>;
  /** .tokens.json: the personal access tokens, by id. */
  getAccessTokens(): Promise<Record<string, AccessTokenRecord>>;
  saveAccessTokens(tokens: Record<string, AccessTokenRecord>): Promise<void>;
  /** .config.runtime.json */
  getRuntimeConfig(): Promise<Record<string, unknown>>;
  saveRuntimeConfig(config: Record<string, unknown>): Promise<void>;
  /** .config.users.json */
  getUserSettings(): Promise<Record<string, Record<string, unknown>>>;
  saveUserSettings(settings: Record<string, Record<string, unknown>>): Promise<void>;
  /** .config.nodes.json */
  getNodeConfig(): Promise<Record<string, unknown>>;
  saveNodeConfig(config: Record<string, unknown>): Promise<void>;
}
