// The `inject` core node (COMPAT D1): builds a message from its props (evaluated in order) when the editor's
// button is pressed (POST /inject/:id), once after deploy, every `repeat` seconds or on a crontab.
import type { RED } from '../registry/red-types.js';
import type { Node, SendFn, DoneFn } from '../runtime/node.js';
import { configuredProps, evaluateProps, jsonataErrors, type InjectProp } from './inject/props.js';
import { hasSchedule, NO_SCHEDULE, repeatMs, startSchedule } from './inject/schedule.js';
import { registerInjectRoute } from './inject/admin.js';

type Msg = Record<string, unknown>;

export default function register(RED: RED): void {
  function InjectNode(this: Node, config: Record<string, any>) {
    RED.nodes.createNode(this, config as never);
    const node = this;
    const props = configuredProps(config);
    for (const text of jsonataErrors(props, node)) node.error(text);

    node.on('input', (msg: Msg, send: SendFn, done: DoneFn) => {
      let used: readonly InjectProp[] = props;
      if (Array.isArray(msg.__user_inject_props__)) used = msg.__user_inject_props__;
      delete msg.__user_inject_props__;
      evaluateProps(node, used, msg, (errors) => {
        if (errors.length > 0) {
          done(errors.join('; '));
          return;
        }
        send(msg);
        done();
      }, done);
    });

    // a timer fires with a bare message: its _msgid is added when sent, after the props (as in Node-RED)
    const hooks = {
      fire: () => node._handleInput({}),
      debug: (text: string) => node.debug(text),
      error: (err: unknown) => node.error(err),
    };
    const leadership = node._flow?.leadership;
    if (!leadership || !hasSchedule(config)) {
      const stop = startSchedule(config, hooks);
      if (stop !== NO_SCHEDULE) node.on('close', stop);
      return;
    }
    // in a cluster only the leader's timers run: `once` fires where the flows start under a leader; an
    // instance that starts leading later runs the repeat / crontab from then on. Each tick of a repeat is
    // marked in the cluster, and a new leader fires its first one where the cluster's next period is due (at
    // once when that has passed), so the cluster neither ticks twice in a period nor starts a new interval
    const marks = leadership.marks;
    const every = repeatMs(config);
    const markKey = `inject:${node.id}`;
    const scheduled = marks && every !== undefined
      ? { ...hooks, fire: () => { marks.fired(markKey, 2 * every + 10000); hooks.fire(); } }
      : hooks;
    let turn = 0;
    const begin = (at: number, firstRepeatInMs?: number) => {
      if (at !== turn) return;
      try {
        stop = startSchedule({ ...config, once: false }, scheduled, { firstRepeatInMs });
      } catch (err) {
        node.error(err);
      }
    };
    let stop = leadership.leading ? startSchedule(config, scheduled) : NO_SCHEDULE;
    const unwatch = leadership.watch((leading) => {
      stop();
      stop = NO_SCHEDULE;
      const at = ++turn;
      if (!leading) return;
      if (!marks || every === undefined) { begin(at); return; }
      marks.since(markKey).then(
        (since) => begin(at, since === undefined ? 0 : every - since),
        (err: unknown) => { node.debug(`last tick not known (${String(err)}): a whole interval first`); begin(at); },
      );
    });
    node.on('close', () => { turn++; unwatch(); stop(); });
  }
  RED.nodes.registerType('inject', InjectNode);
  registerInjectRoute(RED);
}
