// The `inject` core node (COMPAT D1): builds a message from its props (evaluated in order) when the editor's
// button is pressed (POST /inject/:id), once after deploy, every `repeat` seconds or on a crontab.
import type { RED } from '../registry/red-types.js';
import type { Node, SendFn, DoneFn } from '../runtime/node.js';
import { configuredProps, evaluateProps, jsonataErrors, type InjectProp } from './inject/props.js';
import { NO_SCHEDULE, startSchedule } from './inject/schedule.js';
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
    const stop = startSchedule(config, {
      fire: () => node._handleInput({}),
      debug: (text) => node.debug(text),
      error: (err) => node.error(err),
    });
    if (stop !== NO_SCHEDULE) node.on('close', stop);
  }
  RED.nodes.registerType('inject', InjectNode);
  registerInjectRoute(RED);
}
