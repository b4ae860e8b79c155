// The comms hub: the retained messages and the authenticated connections. Every published message goes to
// every connection (Node-RED does not filter by subscription); a subscribe replays the matching retained ones.
import type { Logger } from '../runtime/logger.js';
import { topicMatches } from './topics.js';

/** What the hub needs of a connection. `frame` is one serialised `{topic,data}`; null = nothing to add. */
export interface HubClient {
  readonly session: string;
  enqueue(frame: string | null): void;
}

/** Restricts a publish to one session, or to every session but one (Node-RED's session/excludeSession). */
export interface PublishTarget {
  session?: string;
  excludeSession?: string;
}

export class CommsHub {
  private readonly retained = new Map<string, string | null>();
  private readonly clients = new Set<HubClient>();

  constructor(private readonly logger: Logger) {}

  add(client: HubClient): void { this.clients.add(client); }
  remove(client: HubClient): boolean { return this.clients.delete(client); }
  get size(): number { return this.clients.size; }

  /** Node-RED's publish: retain stores, no retain forgets the retained one; then sent to the connections. */
  publish(topic: string, data: unknown, retain?: boolean, target: PublishTarget = {}): void {
    if (typeof topic !== 'string' || !topic) return;
    const frame = this.serialise(topic, data);
    if (frame === undefined) return;
    if (retain) this.retained.set(topic, frame);
    else this.retained.delete(topic);
    for (const client of this.clients) {
      if (target.session && client.session !== target.session) continue;
      if (target.excludeSession && client.session === target.excludeSession) continue;
      client.enqueue(frame);
    }
  }

  /** Sends to every connection without touching the retained messages (the heartbeat). */
  broadcast(topic: string, data: unknown): void {
    const frame = this.serialise(topic, data);
    if (frame === undefined) return;
    for (const client of this.clients) client.enqueue(frame);
  }

  /** Replays the retained messages whose topic matches the pattern. */
  replay(client: HubClient, pattern: string): void {
    for (const [topic, frame] of this.retained) {
      if (topicMatches(pattern, topic)) client.enqueue(frame);
    }
  }

  /** Whether a message is retained under this topic. */
  hasRetained(topic: string): boolean { return this.retained.has(topic); }
  forget(topic: string): void { this.retained.delete(topic); }

  /**
   * The JSON of `{topic,data}`, made once per publish. Node-RED queues a message only when its data is
   * truthy (null then). undefined = the data cannot be serialised: logged, not published.
   */
  private serialise(topic: string, data: unknown): string | null | undefined {
    if (!data) return null;
    try {
      return JSON.stringify({ topic, data });
    } catch (err) {
      this.logger.warn(`Communication send error: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
}
