// Test helper: a real ws client on a running Crimson's /comms that records every frame it receives.
import WebSocket from 'ws';

export interface CommsMessage { topic: string; data: unknown }
export interface Frame { at: number; raw: string; value: unknown }

export interface TestClient {
  ws: WebSocket;
  frames: Frame[];
  /** Every {topic,data} received so far, batches flattened. */
  messages(): CommsMessage[];
  send(frame: unknown): void;
  /** Resolves when check() is true (polled), rejects after ms. */
  until(check: () => boolean, ms?: number): Promise<void>;
  /** The first message of that topic (optionally matching) received so far or within ms. */
  message(topic: string, match?: (data: any) => boolean, ms?: number): Promise<CommsMessage>;
  /** The close code the client saw. */
  closed: Promise<number>;
  close(): Promise<void>;
}

export const commsUrl = (httpUrl: string, path = 'comms') => httpUrl.replace(/^http/, 'ws') + path;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Opens the socket; resolves once it is open (rejects if the server refuses or drops it). */
export function openComms(url: string, opts: { headers?: Record<string, string> } = {}): Promise<TestClient> {
  const ws = new WebSocket(url, { headers: opts.headers });
  const frames: Frame[] = [];
  let closeCode: (code: number) => void = () => {};
  const closed = new Promise<number>((r) => { closeCode = r; });
  ws.on('message', (data) => {
    const raw = data.toString();
    let value: unknown;
    try { value = JSON.parse(raw); } catch { value = undefined; }
    frames.push({ at: Date.now(), raw, value });
  });
  ws.on('close', (code) => closeCode(code));
  ws.on('error', () => { /* seen through `closed` */ });
  const messages = () => frames.flatMap((f) => (Array.isArray(f.value) ? (f.value as CommsMessage[]) : []));
  const client: TestClient = {
    ws, frames, messages, closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    until: (check, ms) => until(check, ms),
    async message(topic, match = () => true, ms = 3000) {
      const find = () => messages().find((m) => m.topic === topic && match(m.data));
      await until(() => !!find(), ms, `a ${topic} message`);
      return find()!;
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}
