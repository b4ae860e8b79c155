// GET /credentials/:type/:id (credentials.read): what the editor's edit dialog shows of a node's stored
// credentials, as Node-RED answers it. A `password` field is never sent, only `has_<field>` (set or not);
// tabs, groups and subflow instances answer `has_<field>` for every stored field; unknown id → {}.
import type { Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { AdminDeps } from './deps.js';
import type { CredentialDef } from '../registry/red-types.js';

type Dict = Record<string, unknown>;

const isSet = (v: unknown) => v !== undefined && v !== null && v !== '';

/** The editor's view of `stored` for a node of `type`, given that type's credential definition. */
export function credentialsView(type: string, stored: Dict | undefined, def: CredentialDef | undefined): Dict {
  const out: Dict = {};
  if (!stored) return out;
  if (/^subflow(:|$)/.test(type) || type === 'tab' || type === 'group') {
    for (const k of Object.keys(stored)) out[`has_${k}`] = isSet(stored[k]);
    return out;
  }
  for (const [k, field] of Object.entries(def ?? {})) {
    if ((field as { type?: unknown } | undefined)?.type === 'password') out[`has_${k}`] = isSet(stored[k]);
    else out[k] = stored[k] || '';
  }
  return out;
}

export function credentialsRouter(deps: AdminDeps): Router {
  const r = express.Router();
  r.get('/credentials/:type/:id', deps.needsPermission('credentials.read'), async (req, res) => {
    const { type, id } = req.params;
    deps.logger.audit({ event: 'credentials.get', type, id }, req as never);
    // the editor asks with the type's spaces dashed, as definitions are registered; Node-RED finds
    // no definition for a type still holding whitespace. A core type loaded on first use may still be
    // registering (its module awaits before registerType, as http request's does): that is waited for.
    const spaced = /\s/.test(type);
    if (!spaced) await deps.registry.typeLoaded(type);
    const def = spaced ? undefined : deps.registry.credentialDef(type);
    res.json(credentialsView(type, deps.flows.credentialsOf(id), def));
  });
  return r;
}
