// The debug node's admin routes: POST /debug/:id/(enable|disable) and bulk POST /debug/(enable|disable)
// with {nodes:[ids]} flip a running debug node's `active` flag (COMPAT D5); the sidebar's view files.
import { express } from '../../runtime/util/deps.js';
import type { Request, Response } from 'express';
import type { RED } from '../../registry/red-types.js';
import { registerDebugView } from './view.js';

const STATES = new Set(['enable', 'disable']);

export function registerDebugRoutes(RED: RED): void {
  const app = RED.httpAdmin;
  if (!app) return;
  registerDebugView(RED);
  const permission = RED.auth.needsPermission('debug.write');
  const setActive = (id: unknown, active: boolean): boolean => {
    const node = typeof id === 'string' ? (RED.nodes.getNode(id) as { active?: boolean } | undefined) : undefined;
    if (!node) return false;
    node.active = active;
    return true;
  };

  app.post('/debug/:state', permission, express.json({ limit: RED.settings.apiMaxLength || '5mb' }), (req: Request, res: Response) => {
    const state = req.params.state!;
    if (!STATES.has(state)) return void res.sendStatus(404);
    const nodes = req.body?.nodes;
    if (!Array.isArray(nodes)) return void res.sendStatus(400);
    for (const id of nodes) setActive(id, state === 'enable');
    res.sendStatus(state === 'enable' ? 200 : 201);
  });

  app.post('/debug/:id/:state', permission, (req: Request, res: Response) => {
    const state = req.params.state!;
    if (!STATES.has(state)) return void res.sendStatus(404);
    if (!setActive(req.params.id, state === 'enable')) return void res.sendStatus(404);
    res.sendStatus(state === 'enable' ? 200 : 201);
  });
}
