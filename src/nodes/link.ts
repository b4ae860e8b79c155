// `link in`, `link out` and `link call`: virtual wires across tabs (link out's wires are set from its links
// when the flows are parsed), and the call/return path with a timeout. The target cache is per runtime.
import { randomBytes } from 'node:crypto';
import type { RED } from '../registry/red-types.js';
import { createLinkTargets } from './link/targets.js';

type Send = (m: unknown) => void;
type Done = (err?: unknown) => void;

export default function register(RED: RED): void {
  const targets = createLinkTargets();

  function LinkInNode(this: any, config: any) {
    RED.nodes.createNode(this, config);
    targets.add(this);
    this.on('input', (msg: unknown, send: Send, done: Done) => { send(msg); done(); });
    this.on('close', () => { targets.remove(this); });
  }
  RED.nodes.registerType('link in', LinkInNode);

  function LinkOutNode(this: any, config: any) {
    RED.nodes.createNode(this, config);
    const mode = config.mode || 'link';
    const event = `node:${config.id}`;
    this.on('input', (msg: Record<string, any>, send: Send, done: Done) => {
      msg._event = event;
      if (mode === 'return') {
        const source = Array.isArray(msg._linkSource) && msg._linkSource.length > 0 ? msg._linkSource.pop() : undefined;
        const caller = source ? RED.nodes.getNode(source.node) as any : undefined;
        if (caller && typeof caller.returnLinkMessage === 'function') caller.returnLinkMessage(source.id, msg);
        else this.warn('Missing return node information');
        done();
      } else if (mode === 'link') {
        send(msg);
        done();
      }
    });
  }
  RED.nodes.registerType('link out', LinkOutNode);

  function LinkCallNode(this: any, config: any) {
    RED.nodes.createNode(this, config);
    const staticTarget: string | undefined = typeof config.links === 'string' ? config.links : Array.isArray(config.links) ? config.links[0] : undefined;
    const dynamic = config.linkType === 'dynamic';
    let timeout = parseFloat(config.timeout || '30') * 1000;
    if (Number.isNaN(timeout)) timeout = 30000;
    const pending = new Map<string, { msg: unknown; send: Send; done: Done; timer: NodeJS.Timeout }>();

    const targetOf = (msg: Record<string, any>) => {
      const target = dynamic ? msg.target : staticTarget;
      let found = targets.byId(target) ? RED.nodes.getNode(target) : undefined;
      if (target && !found && dynamic) {
        const id = targets.byName(String(target), this._flow.id);
        if (id) found = RED.nodes.getNode(id);
      }
      if (found && found.type === 'link in' && targets.byId(found.id)) return found;
      throw new Error(`target link-in node '${target || ''}' not found`);
    };

    this.on('input', (msg: Record<string, any>, send: Send, done: Done) => {
      try {
        const target = targetOf(msg);
        msg._linkSource = msg._linkSource || [];
        const event = { id: randomBytes(14).toString('hex'), node: this.id };
        const timer = setTimeout(() => {
          const p = pending.get(event.id);
          if (!p) return;
          pending.delete(event.id);
          this.error('timeout', p.msg);
        }, timeout);
        pending.set(event.id, { msg: RED.util.cloneMessage!(msg), send, done, timer });
        msg._linkSource.push(event);
        target.receive(msg);
      } catch (err) {
        this.error(err, msg);
      }
    });
    this.on('close', () => {
      for (const p of pending.values()) clearTimeout(p.timer);
      pending.clear();
    });
    this.returnLinkMessage = (eventId: string, msg: Record<string, any>) => {
      if (Array.isArray(msg._linkSource) && msg._linkSource.length === 0) delete msg._linkSource;
      const p = pending.get(eventId);
      if (p) {
        clearTimeout(p.timer);
        pending.delete(eventId);
        p.send(msg);
        p.done();
      } else this.send(msg);
    };
  }
  RED.nodes.registerType('link call', LinkCallNode);
}
