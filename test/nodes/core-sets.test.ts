// The core set table (src/nodes/index.ts) against the installed @node-red/nodes: each set's types are what its
// editor file defines (Node-RED's set types, so no HTML is read at start), and the library types a deferred
// set is said to register are what its module registers when it loads.
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CORE_SETS } from '../../src/nodes/index.js';
import { corePackageDir } from '../../src/registry/core-definitions.js';
import { htmlTypes } from '../../src/registry/loader/node-loader.js';

const file = (editor: string) => path.join(corePackageDir(), 'core', `${editor}.js`);

describe('the core sets', () => {
  it("list each set's types as its editor file defines them", () => {
    for (const def of CORE_SETS) expect([def.name, def.types]).toEqual([def.name, htmlTypes(file(def.editor))]);
  });

  it('name the library types a deferred module registers at load', () => {
    for (const def of CORE_SETS.filter((d) => !d.modules)) {
      const library: string[] = [];
      // a RED that only records: nothing of a module's load but its library types is looked at here
      const record: any = new Proxy(function () {}, {
        get: (_t, key) => (key === 'register' ? (type: string) => { library.push(type); } : record),
        apply: () => record,
      });
      const fn = createRequire(import.meta.url)(file(def.editor));
      try { fn(record); } catch { /* a module that needs more of RED at load registers no library type before */ }
      expect([def.name, library]).toEqual([def.name, def.library ?? []]);
    }
  });
});
