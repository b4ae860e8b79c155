// .config.nodes.json: which node sets are enabled, saved on change and applied at start.
import type { FlowStorage } from '../runtime/types.js';
import type { Registry } from './registry.js';
import type { Logger } from '../runtime/logger.js';

export async function saveNodeConfig(storage: FlowStorage, registry: Registry): Promise<void> {
  const out: Record<string, unknown> = {};
  for (const m of registry.modules()) {
    const nodes: Record<string, unknown> = {};
    for (const s of m.sets) nodes[s.name] = { name: s.name, types: s.types, enabled: s.enabled, local: s.local, user: s.user, module: s.module };
    out[m.name] = { name: m.name, version: m.version, local: !!m.local, user: !!m.user, nodes };
  }
  await storage.saveNodeConfig(out);
}

export async function loadNodeConfig(storage: FlowStorage, registry: Registry, logger: Logger): Promise<void> {
  const saved = await storage.getNodeConfig();
  for (const m of registry.modules()) {
    const entry = saved[m.name] as { nodes?: Record<string, { enabled?: unknown }> } | undefined;
    for (const s of m.sets) {
      const st = entry?.nodes?.[s.name];
      if (st && st.enabled === false) {
        s.enabled = false;
        logger.info(`Node set ${s.id} is disabled`);
      }
    }
  }
}
