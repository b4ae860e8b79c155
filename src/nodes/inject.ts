// The `inject` core node (COMPAT D1): builds a message from its props (evaluated in order) when the editor's
// button is pressed (POST /inject/:id), once after deploy, every `repeat` seconds or on a crontab.
import type { RED } from '../registry/red-types.js';
import type { Node, SendFn, DoneFn } from '../runtime/node.js';
import { configuredProps, evaluateProps, jsonataErrors, type InjectProp } from './inject/props.js';
import { hasSchedule, missedCronTime, NO_SCHEDULE, repeatMs, startSchedule } from './inject/schedule.js';
import { registerInjectRoute } from './inject/admin.js';

type Msg = Record<string, unknown>;

/** How long a crontab's last tick is remembered in a cluster (a monthly schedule's last tick too). */
const CRON_MARK_KEEP_MS = 32 * 24 * 3600 * 1000;

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
    // instance that starts leading later runs the repeat / crontab from then on. Each tick of a repeat or a
    // crontab is marked in the cluster, and a new leader goes on from the last mark: a repeat's first tick
    // where the cluster's next period is due (at once when that has passed), a crontab time that fell while
    // the lease passed on at once; so the cluster neither ticks twice in a period nor drops one
    const marks = leadership.marks;
    const every = repeatMs(config);
    const cron = every === undefined && typeof config.crontab === 'string' && config.crontab ? config.crontab : undefined;
    const markKey = `inject:${node.id}`;
    const keepMs = every !== undefined ? 2 * every + 10000 : CRON_MARK_KEEP_MS;
    const scheduled = marks && (every !== undefined || cron)
      ? { ...hooks, fire: () => { marks.fired(markKey, keepMs); hooks.fire(); } }
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
      if (!marks || (every === undefined && !cron)) { begin(at); return; }
      marks.since(markKey).then(
        (since) => {
          if (every !== undefined) {
            begin(at, since === undefined ? 0 : every - since);
            return;
          }
          begin(at);
          if (at === turn && since !== undefined && missedCronTime(cron!, since)) scheduled.fire();
        },
        (err: unknown) => { node.debug(`last tick not known (${String(err)}): a whole interval first`); begin(at); },
      );
    });
    node.on('close', () => { turn++; unwatch(); stop(); });
  }
  RED.nodes.registerType('inject', InjectNode);
  registerInjectRoute(RED);
}
