// Subflow modules (RED.nodes.registerSubflow): a package publishing a subflow as a node type. From the
// subflow's definition (its `subflow` node with the inner nodes under `flow`) this derives what Node-RED
// derives: the type name (meta.type, else "sf:<id>"), the credential fields (its `cred` env properties) and
// the editor definition the palette shows (one property per env entry, edited with the editor's own subflow
// form). Running an instance is the runtime's (runtime/subflow-module.ts).
import type { NodeConfig } from '../runtime/types.js';
import type { CredentialDef } from './red-types.js';

/** A subflow module definition as a package hands it over. */
export interface SubflowModuleDef extends NodeConfig {
  flow?: NodeConfig[];
  env?: EnvProperty[];
  meta?: { type?: string; module?: string; version?: string };
}

interface EnvProperty {
  name: string;
  type: string;
  value?: unknown;
  ui?: Record<string, unknown>;
}

/** Why a definition cannot be a node type (Node-RED fails the set the same way: the module threw). */
export function checkSubflowDef(def: unknown): asserts def is SubflowModuleDef {
  if (!def || typeof def !== 'object' || Array.isArray(def)) throw new TypeError('registerSubflow: the subflow definition must be an object');
  const d = def as Record<string, unknown>;
  if (typeof d.id !== 'string' || !d.id) throw new TypeError('registerSubflow: the subflow definition has no id');
  if (d.flow !== undefined && !Array.isArray(d.flow)) throw new TypeError('registerSubflow: the subflow\'s flow must be an array');
  if (d.env !== undefined && !Array.isArray(d.env)) throw new TypeError('registerSubflow: the subflow\'s env must be an array');
}

export function subflowModuleType(def: SubflowModuleDef): string {
  return def.meta?.type || `sf:${def.id}`;
}

const envProps = (def: SubflowModuleDef): EnvProperty[] =>
  (def.env ?? []).filter((p): p is EnvProperty => !!p && typeof p === 'object' && typeof p.name === 'string');

/** The credential fields of the type: one password per `cred` env property; undefined when there is none. */
export function subflowModuleCredentials(def: SubflowModuleDef): CredentialDef | undefined {
  const creds: CredentialDef = {};
  for (const p of envProps(def)) if (p.type === 'cred') creds[p.name] = { type: 'password' };
  return Object.keys(creds).length > 0 ? creds : undefined;
}

/** The default of a node property made from an env property, typed as the editor stores it. */
function defaultOf(p: EnvProperty): unknown {
  switch (p.type) {
    case 'cred': return '';
    case 'str': return p.value || '';
    case 'bool': return typeof p.value === 'boolean' ? p.value : p.value === 'true';
    case 'num': return typeof p.value === 'number' ? p.value : Number(p.value);
    default: return { type: p.type, value: p.value || '' };
  }
}

/** JSON for inside a <script> element: a `<` could end the element, so it is written as its escape. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * The editor definition of the type: palette entry, properties and credentials from the env, the name
 * field, the editor's subflow-instance form (RED.subflow.buildEditForm / exportSubflowInstanceEnv), and the
 * subflow's `info` as markdown help.
 */
export function subflowModuleHtml(def: SubflowModuleDef): string {
  const type = subflowModuleType(def);
  const label = typeof def.name === 'string' && def.name ? def.name : type;
  const defaults: Record<string, { value: unknown; ui?: unknown }> = { name: { value: '' } };
  for (const p of envProps(def)) {
    const entry: { value: unknown; ui?: unknown } = { value: defaultOf(p), ui: p.ui };
    if (p.type === 'cred') entry.ui = { ...(p.ui ?? {}), type: 'cred' };
    defaults[p.name] = entry;
  }
  const definition = [
    `  RED.nodes.registerType(${scriptJson(type)}, {`,
    '    subflowModule: true,',
    `    category: ${scriptJson(def.category || 'function')},`,
    `    color: ${scriptJson(def.color || '#C0DEED')},`,
    `    defaults: ${scriptJson(defaults)},`,
    `    credentials: ${scriptJson(subflowModuleCredentials(def) ?? {})},`,
    `    inputs: ${Array.isArray(def.in) ? def.in.length : 0},`,
    `    outputs: ${Array.isArray(def.out) ? def.out.length : 0},`,
    `    icon: ${scriptJson(def.icon || 'arrow-in.svg')},`,
    `    paletteLabel: ${scriptJson(label)},`,
    `    label: function () { return this.name || ${scriptJson(label)}; },`,
    '    labelStyle: function () { return this.name ? "node_label_italic" : ""; },',
    '    oneditprepare: function () { RED.subflow.buildEditForm("subflow", this); },',
    '    oneditsave: function () {',
    '      var node = this;',
    '      RED.subflow.exportSubflowInstanceEnv(node).forEach(function (prop) {',
    '        var def = node._def.defaults[prop.name];',
    '        if (def && def.ui && def.ui.type === "cred") {',
    '          node[prop.name] = "";',
    '          node.credentials[prop.name] = prop.value || "";',
    '          node.credentials["has_" + prop.name] = node.credentials[prop.name] !== "";',
    '        } else if (prop.type === "str" || prop.type === "conf-type") {',
    '          node[prop.name] = prop.value || "";',
    '        } else if (prop.type === "bool") {',
    '          node[prop.name] = typeof prop.value === "boolean" ? prop.value : prop.value === "true";',
    '        } else if (prop.type === "num") {',
    '          node[prop.name] = typeof prop.value === "number" ? prop.value : Number(prop.value);',
    '        } else {',
    '          node[prop.name] = { type: prop.type, value: prop.value || "" };',
    '        }',
    '      });',
    '    }',
    '  });',
  ];
  const typeAttr = type.replace(/"/g, '&quot;');
  const parts = [
    '<script type="text/javascript">', ...definition, '</script>',
    `<script type="text/x-red" data-template-name="${typeAttr}">`,
    '  <div class="form-row">',
    '    <label for="node-input-name" data-i18n="[append]editor:common.label.name"><i class="fa fa-tag"></i> </label>',
    '    <input type="text" id="node-input-name" data-i18n="[placeholder]editor:common.label.name">',
    '  </div>',
    '  <div id="subflow-input-ui"></div>',
    '</script>',
  ];
  if (typeof def.info === 'string' && def.info) parts.push(`<script type="text/markdown" data-help-name="${typeAttr}">${def.info}</script>`);
  return parts.join('\n') + '\n';
}
