// RED.hooks: named hook functions (`onSend`, `preDeliver.myId` …) that modules add and the runtime triggers.
type HookFn = (payload: unknown, done?: (err?: unknown) => void) => unknown;

export function createHooks() {
  const hooks = new Map<string, Array<{ label: string; fn: HookFn }>>();
  const split = (id: string) => { const [point, label = ''] = id.split('.'); return { point: point!, label }; };
  return {
    add(id: string, fn: Function) {
      const { point, label } = split(id);
      if (label && hooks.get(point)?.some((h) => h.label === label)) throw new Error(`Hook ${id} already registered`);
      const list = hooks.get(point) ?? [];
      list.push({ label, fn: fn as HookFn });
      hooks.set(point, list);
    },
    remove(id: string) {
      const { point, label } = split(id);
      const points = point === '*' ? [...hooks.keys()] : [point];
      for (const p of points) {
        const list = (hooks.get(p) ?? []).filter((h) => label !== '' && h.label !== label);
        if (list.length) hooks.set(p, list); else hooks.delete(p);
      }
    },
    has(id: string) {
      const { point, label } = split(id);
      const list = hooks.get(point);
      return !!list && (label === '' || list.some((h) => h.label === label));
    },
    /** Runs the hooks of a point in order; resolves false when one of them returned false (halt). */
    async trigger(point: unknown, payload?: unknown): Promise<unknown> {
      for (const h of hooks.get(String(point)) ?? []) {
        const r = await h.fn(payload);
        if (r === false) return false;
      }
      return undefined;
    },
    clear() { hooks.clear(); },
  };
}
