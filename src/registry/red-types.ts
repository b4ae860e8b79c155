// The shape of the `RED` object handed to node modules (core and third-party): `module.exports = function (RED) {…}`.
import type { Application, RequestHandler } from 'express';
import type { Server } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { Node } from '../runtime/node.js';
import type { NodeConfig } from '../runtime/types.js';

export interface CredentialDef { [field: string]: { type: 'text' | 'password'; [k: string]: unknown } }

export interface RegisterOptions {
  credentials?: CredentialDef;
  settings?: Record<string, { value: unknown; exportable?: boolean }>;
  dynamicModuleList?: string;
}

export type NodeConstructor = new (config: NodeConfig) => object;

export interface RedNodes {
  registerType(type: string, ctor: Function, opts?: RegisterOptions): void;
  /** Publishes a subflow (its `subflow` node, inner nodes under `flow`) as a node type of the set. */
  registerSubflow(def: unknown): void;
  /** Must be the first call of a node constructor: makes `node` a runtime Node with config's id, type, wires… */
  createNode(node: object, config: NodeConfig): void;
  getNode(id: string): Node | undefined;
  eachNode(cb: (config: NodeConfig) => void): void;
  getCredentials(id: string): Record<string, unknown> | undefined;
  addCredentials(id: string, creds: Record<string, unknown>): Promise<void>;
  deleteCredentials(id: string): Promise<void>;
}

export interface RedLog {
  log(entry: Record<string, unknown>): void;
  fatal(m: unknown): void; error(m: unknown): void; warn(m: unknown): void; info(m: unknown): void;
  debug(m: unknown): void; trace(m: unknown): void; audit(e: Record<string, unknown>, req?: unknown): void;
  metric(): boolean;
  /** A function, or (as Node-RED's own handlers) an EventEmitter that gets emit('log', entry). */
  addHandler(h: LogHandlerLike): void;
  removeHandler(h: LogHandlerLike): void;
  _(key: string, subs?: Record<string, unknown>): string;
  FATAL: 10; ERROR: 20; WARN: 30; INFO: 40; DEBUG: 50; TRACE: 60; AUDIT: 98; METRIC: 99;
}

export type LogHandlerLike = ((e: Record<string, unknown>) => void) | { emit(event: string, e: Record<string, unknown>): unknown };

export interface RED {
  nodes: RedNodes;
  util: Record<string, Function>;
  log: RedLog;
  /** Read-only view of the settings, plus get/set helpers. */
  settings: Record<string, any>;
  events: EventEmitter;
  hooks: { add(id: string, fn: Function): void; remove(id: string): void; has(id: string): boolean; trigger(...a: unknown[]): unknown; clear(): void };
  comms: { publish(topic: string, data: unknown, retain?: boolean): void };
  /** Express app of the admin API (mounted under httpAdminRoot). */
  httpAdmin: Application;
  /** Express app of http in routes (mounted under httpNodeRoot). */
  httpNode: Application;
  server: Server;
  auth: { needsPermission(permission: string): RequestHandler };
  library: { register(type: string): void };
  plugins: { registerPlugin(id: string, def: unknown): void; get(id: string): unknown; getByType(type: string): unknown[] };
  require(name: string): unknown;
  import(name: string): Promise<unknown>;
  version(): string;
  _(key: string, subs?: Record<string, unknown>): string;
}

export type NodeModule = (RED: RED) => void | Promise<void>;
