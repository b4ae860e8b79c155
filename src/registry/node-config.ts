// .config.nodes.json: the node modules and sets with their enabled state, in the order GET /nodes lists
// them; read at start (disabled sets, module order) and saved after loading and on every change.
import type { FlowStorage } from '../runtime/types.js';
import type { Registry } from './registry.js';
import type { Logger } from '../runtime/logger.js';
import { editorFilesOf } from './core-definitions.js';

export async function saveNodeConfig(storage: FlowStorage, registry: Registry): Promise<void> {
  const out: Record<string, unknown> = {};
  for (const m of registry.modules()) {
    // a module of plugin sets only is not listed (as Node-RED)
    if (m.sets.length === 0) continue;
    const nodes: Record<string, unknown> = {};
    for (const s of m.sets) {
      // the set's code file, as Node-RED records it (a core set's is its file in @node-red/nodes)
      const file = s.file ?? editorFilesOf(s)?.html.replace(/\.html$/, '.js');
      nodes[s.name] = { name: s.name, types: s.types, enabled: s.enabled, local: s.local, user: s.user, module: s.module, ...(file ? { file } : {}) };
    }
    out[m.name] = { name: m.name, version: m.version, local: !!m.local, user: !!m.user, nodes };
  }
  await storage.saveNodeConfig(out);
}

/** What .config.nodes.json says at start: the sets it keeps disabled, and its order of modules. */
export interface SavedNodeConfig {
  /** Set ids kept disabled (they are not loaded at start). */
  disabled: Set<string>;
  /** Module names in the file's order: GET /nodes lists modules in this order, new ones after. */
  order: string[];
}

export async function readNodeConfig(storage: FlowStorage, logger: Logger): Promise<SavedNodeConfig> {
  const saved = await storage.getNodeConfig();
  const disabled = new Set<string>();
  for (const [module, entry] of Object.entries(saved)) {
    const nodes = (entry as { nodes?: Record<string, { enabled?: unknown }> } | undefined)?.nodes ?? {};
    for (const [name, st] of Object.entries(nodes)) {
      if (st && st.enabled === false) {
        disabled.add(`${module}/${name}`);
        logger.info(`Node set ${module}/${name} is disabled`);
      }
    }
  }
  return { disabled, order: Object.keys(saved) };
}
