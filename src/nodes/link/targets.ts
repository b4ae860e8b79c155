// The link in nodes of one runtime, by id and by name (for dynamic link calls).
interface LinkIn { id: string; name?: string; _flow: { id: string } }

export function createLinkTargets() {
  const byId = new Map<string, LinkIn>();
  return {
    add(node: LinkIn) { byId.set(node.id, node); },
    remove(node: LinkIn) { if (byId.get(node.id) === node) byId.delete(node.id); },
    byId: (id: unknown) => (typeof id === 'string' ? byId.get(id) : undefined),
    /** The one link in named so: on the caller's flow first, then anywhere; several anywhere is an error. */
    byName(name: string, flowId: string): string | undefined {
      const named = [...byId.values()].filter((n) => (n.name || n.id) === name);
      const local = named.filter((n) => n._flow.id === flowId);
      if (local.length === 1) return local[0]!.id;
      if (named.length === 1) return named[0]!.id;
      if (named.length > 1) throw new Error(`Multiple link-in nodes named '${name}' found`);
      return undefined;
    },
  };
}
