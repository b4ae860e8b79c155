// Test harness for the http nodes: a real http node app served on 127.0.0.1:<ephemeral> (mounted at
// httpNodeRoot in a root Express app), a small RED, a flow host delivering asynchronously between nodes,
// probe nodes tests can script, and a raw HTTP client that keeps header case and order.
import http from 'node:http';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createHttpNodeApp } from '../../../src/runtime/http-node-app.js';
import { createLogger } from '../../../src/runtime/logger.js';
import { Node, initNode, inheritNode } from '../../../src/runtime/node.js';
import type { FlowHost } from '../../../src/runtime/flow-host.js';
import type { RED } from '../../../src/registry/red-types.js';
import type { NodeConfig } from '../../../src/runtime/types.js';
import type { Settings } from '../../../src/settings/types.js';
import { cloneMessage } from '../../../src/runtime/util/clone.js';
import { generateId } from '../../../src/runtime/util/id.js';
import registerHttpIn from '../../../src/nodes/http-in.js';
import registerHttpResponse from '../../../src/nodes/http-response.js';

export type Msg = Record<string, any>;
export interface LogLine { level: number; text: string; id?: string }

export interface RawResponse { status: number; headers: Array<[string, string]>; body: Buffer; text: string }

/** One request; `headers` keeps the server's case and order, without Date / Connection / Keep-Alive. */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeout?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    // Node's client sends no length for GET/DELETE bodies unless told
    if (opts.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(Buffer.byteLength(opts.body));
    }
    const req = http.request(url, { method: opts.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const got: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!;
          if (!['date', 'connection', 'keep-alive'].includes(name.toLowerCase())) got.push([name, res.rawHeaders[i + 1]!]);
        }
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: got, body, text: body.toString() });
      });
    });
    req.setTimeout(opts.timeout ?? 3000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export interface Harness {
  /** http://127.0.0.1:port + httpNodeRoot (ends with '/'). */
  url: string;
  RED: RED;
  logs: LogLine[];
  /** Creates nodes (http in, http response, probes) and wires them by id. */
  deploy(configs: Array<Partial<NodeConfig> & { id: string; type: string }>): Node[];
  /** A scriptable node: `fn` gets each message and may send it on. */
  probe(id: string, fn: (msg: Msg, node: Node) => void, wires?: string[][]): NodeConfig & { type: 'probe' };
  /** Closes every deployed node (routes go away). */
  closeAll(): Promise<void>;
  warnings(): string[];
  stop(): Promise<void>;
}

const textOf = (m: unknown) => (m instanceof Error ? m.toString() : String(m));

export async function startHarness(settings: Settings = {}): Promise<Harness> {
  const logs: LogLine[] = [];
  const logger = createLogger({ logging: { console: { level: 'off' } }, write: () => undefined });
  const nodeApp = createHttpNodeApp({ settings, logger });
  const root = express();
  root.disable('x-powered-by');
  const nodeRoot = typeof settings.httpNodeRoot === 'string' ? settings.httpNodeRoot : '/';
  root.use(nodeRoot, nodeApp.app);
  const server = http.createServer(root);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  const nodes = new Map<string, Node>();
  const probes = new Map<string, (msg: Msg, node: Node) => void>();
  const flow: FlowHost = {
    id: 'f1', path: '/f1', closeTimeout: 1000,
    getNode: (id) => nodes.get(id),
    deliver: (_from, to, msg) => { setImmediate(() => to.receive(msg as Msg)); },
    clone: (m) => cloneMessage(m),
    handleError: () => false,
    handleStatus: () => false,
    handleComplete: () => undefined,
    nodeContext: () => { throw new Error('no context in this harness'); },
    flowContext: () => { throw new Error('no context in this harness'); },
    log: (e) => { logs.push({ level: e.level, text: textOf(e.msg), id: e.id as string | undefined }); },
    getEnv: (name) => process.env[name],
  };
  const types = new Map<string, Function>();
  const RED = {
    nodes: {
      registerType: (type: string, ctor: Function) => { inheritNode(ctor); types.set(type, ctor); },
      createNode: (node: object, config: NodeConfig) => initNode(node as Node, config, flow),
    },
    settings,
    util: { generateId, cloneMessage },
    httpNode: nodeApp.app,
    log: { warn: () => undefined },
  } as unknown as RED;
  registerHttpIn(RED);
  registerHttpResponse(RED);
  const closeAll = async () => {
    const all = [...nodes.values()];
    nodes.clear();
    await Promise.all(all.map((n) => n.close(true)));
  };

  return {
    url: `http://127.0.0.1:${port}${nodeRoot.replace(/\/?$/, '/')}`,
    RED,
    logs,
    deploy(configs) {
      const made: Node[] = [];
      for (const c of configs) {
        const config = { z: 'f1', wires: [], ...c } as NodeConfig;
        let node: Node;
        if (c.type === 'probe') {
          node = new Node(config, flow);
          const fn = probes.get(c.id)!;
          node.on('input', (msg: Msg) => fn(msg, node));
        } else {
          const Ctor = types.get(c.type);
          if (!Ctor) throw new Error(`unknown type ${c.type}`);
          node = new (Ctor as new (cfg: NodeConfig) => Node)(config);
        }
        nodes.set(node.id, node);
        made.push(node);
      }
      for (const n of made) n._resolveWires((id) => nodes.get(id));
      return made;
    },
    probe(id, fn, wires = []) {
      probes.set(id, fn);
      return { id, type: 'probe', wires } as NodeConfig & { type: 'probe' };
    },
    closeAll,
    warnings: () => logs.filter((l) => l.level === 30).map((l) => l.text),
    async stop() {
      await closeAll();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
