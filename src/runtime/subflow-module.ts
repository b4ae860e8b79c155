// Running instances of subflow modules (types published with RED.nodes.registerSubflow). The module's
// subflow is parsed once into a template (with the subflows nested in it); an instance node of the type
// becomes a subflow instance of that template whose env is the instance's properties, one per env entry of
// the subflow: a string, number or boolean property gives a str / num / bool entry, a {type, value} object
// its own type, a `cred` entry the instance's stored credential, a conf-types `${NAME}` the flow's setting.
import { parseFlows } from './flow-parse.js';
import type { SubflowTemplate } from './flow-parse.js';
import type { NodeConfig } from './types.js';
import type { SubflowModuleDef } from '../registry/subflow-module.js';
import { deepClone } from './util/clone.js';

export interface ModuleTemplate {
  template: SubflowTemplate;
  /** The subflows defined inside the module's flow, for the instances nested in it. */
  nested: ReadonlyMap<string, SubflowTemplate>;
}

const parsed = new WeakMap<SubflowModuleDef, ModuleTemplate>();

/** The template of a module's subflow (parsed on first use, kept while the type is registered). */
export function moduleTemplate(def: SubflowModuleDef): ModuleTemplate {
  let t = parsed.get(def);
  if (!t) {
    const flows = parseFlows([def, ...(Array.isArray(def.flow) ? def.flow : [])] as NodeConfig[], () => true);
    const template = flows.subflows.get(def.id)!;
    flows.subflows.delete(def.id);
    t = { template, nested: flows.subflows };
    parsed.set(def, t);
  }
  return t;
}

const CONF_REFERENCE = /^\${[^}]+}$/;

/**
 * The instance's config as a subflow instance: its own, with `env` made from its properties. Throws, as
 * Node-RED does, when a property the subflow declares is missing from the instance (the instance is then
 * logged and not started).
 */
export function moduleInstanceConfig(def: SubflowModuleDef, config: NodeConfig, flowSetting: (name: string) => unknown): NodeConfig {
  const instance = deepClone(config) as NodeConfig;
  const props = config as Record<string, unknown>;
  instance.env = (def.env ?? []).map((p) => {
    const value = props[p.name];
    if (p.type === 'cred') return { name: p.name, type: 'cred', value };
    if ((p.ui as { type?: unknown } | undefined)?.type === 'conf-types' && typeof value === 'string' && CONF_REFERENCE.test(value)) {
      return { name: p.name, type: 'conf-type', value: flowSetting(value.slice(2, -1)) };
    }
    switch (typeof value) {
      case 'string': return { name: p.name, type: 'str', value };
      case 'number': return { name: p.name, type: 'num', value };
      case 'boolean': return { name: p.name, type: 'bool', value };
      default: {
        if (value === null || value === undefined) throw new TypeError(`Cannot read properties of ${value} (reading 'type')`);
        const typed = value as { type?: unknown; value?: unknown };
        return { name: p.name, type: typed.type, value: typed.value };
      }
    }
  });
  return instance;
}
