// Fixture packages with plugin sets, written into whatever userDir a test gives (Crimson and Node-RED each get
// their own identical copy):
// * crimson-plugins-fixture: a node set and four plugin sets: `alpha` (runtime + editor parts, a catalogue,
//   two definitions of type crimson-test with exportable settings, an onadd, and an admin route reporting what
//   RED.plugins answers), `beta` (editor part only), `broken` (throws at load), `late` (returns a Promise
//   that rejects);
// * crimson-plugin-only: a package with a plugin set and no node set (its plugin has an onremove; an admin
//   route tells whether RED.plugins still has it).
import fs from 'node:fs/promises';
import path from 'node:path';

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, body] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), body);
  }
}

const pkg = (name: string, red: unknown) => JSON.stringify({ name, version: '1.2.3', keywords: ['node-red'], 'node-red': red }, null, 2);

const ALPHA_JS = `module.exports = function (RED) {
  const added = [];
  RED.events.on('registry:plugin-added', (id) => added.push('event:' + id));
  RED.plugins.registerPlugin('alpha-plugin', {
    type: 'crimson-test',
    settings: { '*': { exportable: true }, secret: { exportable: false }, colour: { value: 'red' } },
    onadd: function () { added.push(this.id + ':' + (RED.plugins.get('alpha-plugin') === this)); },
  });
  RED.plugins.registerPlugin('alpha-two', {
    type: 'crimson-test',
    settings: { size: { value: 3, exportable: true }, hidden: { value: 1 } },
  });
  RED.plugins.registerPlugin('alpha-untyped', {});
  RED.httpAdmin.get('/crimson-plugin-probe', function (req, res) {
    const show = (p) => p && { id: p.id, module: p.module, type: p.type, path: p.path, keys: Object.keys(p).sort() };
    res.json({
      alpha: show(RED.plugins.get('alpha-plugin')),
      untyped: show(RED.plugins.get('alpha-untyped')),
      nothing: RED.plugins.get('nope') === undefined,
      byType: RED.plugins.getByType('crimson-test').map((p) => p.id),
      sameArray: RED.plugins.getByType('crimson-test') === RED.plugins.getByType('crimson-test'),
      noType: RED.plugins.getByType('no-such-type'),
      label: RED._('alpha.label'),
      fromOnly: RED.plugins.get('only-plugin') && RED.plugins.get('only-plugin').module,
      added,
    });
  });
};
`;

const ALPHA_HTML = `<script type="text/javascript">
  RED.plugins.registerPlugin('alpha-plugin', { type: 'crimson-test', onadd: function () { window.crimsonAlpha = true; } });
</script>
<script type="text/html" data-help-name="alpha-plugin"><p>Help stays in a plugin's HTML.</p></script>
`;

const NODE_JS = `module.exports = function (RED) {
  function Probe(config) {
    RED.nodes.createNode(this, config);
    this.on('input', (msg, send, done) => {
      msg.payload = RED.plugins.getByType('crimson-test').map((p) => p.id);
      send(msg);
      done();
    });
  }
  RED.nodes.registerType('plugin-probe', Probe);
  let thrown;
  try { RED.plugins.registerPlugin('from-a-node-set', { type: 'crimson-test' }); } catch (err) { thrown = err.message; }
  RED.httpAdmin.get('/crimson-plugin-probe/node-set', (req, res) => res.json({ thrown, registered: !!RED.plugins.get('from-a-node-set') }));
};
`;

const NODE_HTML = `<script type="text/javascript">
  RED.nodes.registerType('plugin-probe', { category: 'function', color: '#a6bbcf', defaults: { name: { value: '' } }, inputs: 1, outputs: 1, icon: 'function.svg', label: function () { return this.name || 'plugin-probe'; } });
</script>
<script type="text/html" data-template-name="plugin-probe"><div class="form-row"><input type="text" id="node-input-name"></div></script>
`;

const ONLY_JS = `module.exports = function (RED) {
  RED.plugins.registerPlugin('only-plugin', { type: 'crimson-other', onremove: () => RED.log.info('only-plugin: onremove') });
  RED.httpAdmin.get('/crimson-plugin-only', (req, res) => {
    res.json({ registered: RED.plugins.get('only-plugin') !== undefined, byType: RED.plugins.getByType('crimson-other').length });
  });
};
`;

/** Builds both fixture packages into `<userDir>/node_modules`. */
export async function pluginPackages(userDir: string): Promise<void> {
  const nm = path.join(userDir, 'node_modules');
  await write(path.join(nm, 'crimson-plugins-fixture'), {
    'package.json': pkg('crimson-plugins-fixture', {
      nodes: { probe: 'nodes/probe.js' },
      plugins: { alpha: 'plugins/alpha.js', beta: 'plugins/beta.html', broken: 'plugins/broken.js', late: 'plugins/late.js' },
    }),
    'nodes/probe.js': NODE_JS,
    'nodes/probe.html': NODE_HTML,
    'plugins/alpha.js': ALPHA_JS,
    'plugins/alpha.html': ALPHA_HTML,
    'plugins/locales/en-US/alpha.json': JSON.stringify({ alpha: { label: 'Alpha label', other: 'Other' } }),
    'plugins/locales/de/alpha.json': JSON.stringify({ alpha: { label: 'Alpha-Etikett' } }),
    'plugins/beta.html': '<script type="text/javascript">window.crimsonBeta = true;</script>\n',
    'plugins/broken.js': "module.exports = function (RED) {\n  throw new Error('broken at load');\n};\n",
    'plugins/broken.html': '<p>never served: the set failed</p>\n',
    'plugins/late.js': "module.exports = function (RED) {\n  return Promise.reject('late refusal');\n};\n",
  });
  await write(path.join(nm, 'crimson-plugin-only'), {
    'package.json': pkg('crimson-plugin-only', { plugins: { only: 'only.js' } }),
    'only.js': ONLY_JS,
  });
}

/** settings.js keys named after the plugins (what their `settings` export reads). */
export const PLUGIN_SETTINGS = {
  'alpha-plugin': { colour: 'blue', secret: 's3cret', other: 1 },
  'alpha-two': { hidden: 2 },
};
