// MQTT brokers for the mqtt node tests, on 127.0.0.1:<ephemeral>: aedes in-process (MQTT 3.1.1, optional
// user/password check, and a record of what it saw), and Debian's mosquitto for MQTT v5 (aedes does not speak
// v5), started as a child process when /usr/sbin/mosquitto is installed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { Aedes } from 'aedes';
import { freeTcpPort, until } from './harness.js';

export interface SeenPublish { client: string; topic: string; payload: string; qos: number; retain: boolean }

export interface TestBroker {
  port: number;
  /** PUBLISH packets clients sent (not the broker's own $SYS ones), in arrival order. */
  published: SeenPublish[];
  /** SUBSCRIBE requests: client id, topic, granted-as-requested qos. */
  subscribed: Array<{ client: string; topic: string; qos: number }>;
  /** Ids of clients that connected (and passed authentication). */
  connected: string[];
  close(): Promise<void>;
}

/** An aedes broker; `port`: listen there (to bring a stopped broker back on the port its clients know). */
export async function startAedes(opts: { user?: string; password?: string; port?: number } = {}): Promise<TestBroker> {
  const broker = await Aedes.createBroker();
  if (opts.user !== undefined) {
    broker.authenticate = (_client, username, password, callback) => {
      callback(null, username === opts.user && String(password) === opts.password);
    };
  }
  const published: SeenPublish[] = [];
  const subscribed: TestBroker['subscribed'] = [];
  const connected: string[] = [];
  broker.on('publish', (packet, client) => {
    if (client) published.push({ client: client.id, topic: packet.topic, payload: String(packet.payload), qos: packet.qos, retain: packet.retain });
  });
  broker.on('subscribe', (subs, client) => { for (const s of subs) subscribed.push({ client: client.id, topic: s.topic, qos: s.qos }); });
  broker.on('client', (client) => { connected.push(client.id); });
  const server = net.createServer(broker.handle);
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  return {
    port, published, subscribed, connected,
    async close() {
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export const MOSQUITTO = '/usr/sbin/mosquitto';
export const hasMosquitto = fs.existsSync(MOSQUITTO);

/** mosquitto -p <free port> (no config file: local connections only, anonymous allowed, MQTT v5). */
export async function startMosquitto(): Promise<{ port: number; close(): Promise<void> }> {
  const port = await freeTcpPort();
  const child = spawn(MOSQUITTO, ['-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let exitedEarly = false;
  void exited.then(() => { exitedEarly = true; });
  await until(() => exitedEarly || / running/.test(log), 'mosquitto to start');
  if (exitedEarly) throw new Error(`mosquitto exited: ${log}`);
  // the log line comes once it listens; a connection proves it
  await new Promise<void>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(); });
    s.on('error', reject);
  });
  return {
    port,
    async close() {
      if (!exitedEarly) { child.kill('SIGTERM'); await exited; }
    },
  };
}
