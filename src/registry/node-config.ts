// .config.nodes.json: which node sets are enabled, saved on change and applied at start.
import type { FlowStorage } from '../runtime/types.js';
import type { Registry } from './registry.js';
import type { Logger } from '../runtime/logger.js';

export async function saveNodeConfig(storage: FlowStorage, registry: Registry): Promise<void> {
  const out: Record<string, unknown> = {};
  for (const m of registry.modules()) {
    // a module of plugin sets only is not listed (as Node-RED)
    if (m.sets.length === 0) continue;
    const nodes: Record<string, unknown> = {};
    for (const s of m.sets) nodes[s.name] = { name: s.name, types: s.types, enabled: s.enabled, local: s.local, user: s.user, module: s.module };
    out[m.name] = { name: m.name, version: m.version, local: !!m.local, user: !!m.user, nodes };
  }
  await storage.saveNodeConfig(out);
}

/** The ids of the sets .config.nodes.json keeps disabled (they are not loaded at start). */
export async function disabledSets(storage: FlowStorage, logger: Logger): Promise<Set<string>> {
  const saved = await storage.getNodeConfig();
  const out = new Set<string>();
  for (const [module, entry] of Object.entries(saved)) {
    const nodes = (entry as { nodes?: Record<string, { enabled?: unknown }> } | undefined)?.nodes ?? {};
    for (const [name, st] of Object.entries(nodes)) {
      if (st && st.enabled === false) {
        out.add(`${module}/${name}`);
        logger.info(`Node set ${module}/${name} is disabled`);
      }
    }
  }
  return out;
}
