// Fixture node packages for the loader tests, written into a fresh userDir at test time: each builder puts
// the same files in whatever userDir it is given, so Crimson and Node-RED each get their own identical copy.
import fs from 'node:fs/promises';
import path from 'node:path';

export type Files = Record<string, string | Buffer>;

export async function writeFiles(dir: string, files: Files): Promise<void> {
  for (const [rel, body] of Object.entries(files)) {
    const file = path.join(dir, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, body);
  }
}

/** A package: package.json (name, version, `"node-red"` section, extra fields) plus files, in `dir`. */
export async function writePackage(dir: string, pkg: { name: string; version: string; red?: unknown; extra?: Record<string, unknown> }, files: Files): Promise<void> {
  const json: Record<string, unknown> = { name: pkg.name, version: pkg.version, keywords: ['node-red'], ...pkg.extra };
  if (pkg.red !== undefined) json['node-red'] = pkg.red;
  await writeFiles(dir, { 'package.json': JSON.stringify(json, null, 2), ...files });
}

/** An editor file defining `type` (palette entry, template, inline help). */
export function nodeHtml(type: string, opts: { icon?: string; help?: string; category?: string } = {}): string {
  return [
    '<script type="text/javascript">',
    `  RED.nodes.registerType('${type}', { category: '${opts.category ?? 'function'}', color: '#a6bbcf', defaults: { name: { value: '' } },`,
    `    inputs: 1, outputs: 1, icon: '${opts.icon ?? 'function.svg'}', label: function () { return this.name || '${type}'; } });`,
    '</script>',
    `<script type="text/html" data-template-name="${type}">`,
    '  <div class="form-row"><label for="node-input-name">Name</label><input type="text" id="node-input-name"></div>',
    '</script>',
    `<script type="text/html" data-help-name="${type}"><p>${opts.help ?? `Help of ${type}.`}</p></script>`,
    '',
  ].join('\n');
}

/** A CommonJS node module registering `type`: its input handler sets msg.payload from `payloadJs`. */
export function nodeJs(type: string, payloadJs = `'${type}:' + msg.payload`): string {
  return [
    'module.exports = function (RED) {',
    '  function Node(config) {',
    '    RED.nodes.createNode(this, config);',
    `    this.on('input', (msg, send, done) => { msg.payload = ${payloadJs}; send(msg); done(); });`,
    '  }',
    `  RED.nodes.registerType('${type}', Node);`,
    '};',
    '',
  ].join('\n');
}

const SVG = (fill: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="60"><rect width="40" height="60" fill="${fill}"/></svg>\n`;
// a valid 1x1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** node-red-contrib-alpha: the full layout (locales, help file, icons, examples, resources) and RED._ in its logs. */
async function alpha(nm: string): Promise<void> {
  await writePackage(path.join(nm, 'node-red-contrib-alpha'), { name: 'node-red-contrib-alpha', version: '1.0.0', red: { nodes: { alpha: 'nodes/alpha.js' } } }, {
    'nodes/alpha.js': [
      'module.exports = function (RED) {',
      "  RED.log.info(RED._('alpha.log.loaded', { version: '1.0.0' }));",
      '  function Alpha(config) {',
      '    RED.nodes.createNode(this, config);',
      "    this.log(RED._('alpha.log.created', { name: config.name || 'unnamed' }));",
      "    this.on('input', (msg, send, done) => {",
      '      msg.payload = {',
      "        greeting: RED._('alpha.label.greeting', { who: msg.payload }),",
      "        objectSub: RED._('alpha.label.greeting', { who: { a: 1 } }),",
      "        missingSub: RED._('alpha.label.greeting'),",
      "        missing: RED._('alpha.label.nothere'),",
      "        core: RED._('node-red:common.label.name'),",
      "        one: RED._('alpha.label.items', { count: 1 }),",
      "        three: RED._('alpha.label.items', { count: 3 }),",
      "        branch: RED._('alpha.log'),",
      '      };',
      '      send(msg); done();',
      '    });',
      '  }',
      "  RED.nodes.registerType('alpha', Alpha);",
      '};',
      '',
    ].join('\n'),
    'nodes/alpha.html': nodeHtml('alpha', { icon: 'alpha.svg', help: 'Inline help of alpha.' }),
    'nodes/locales/en-US/alpha.json': JSON.stringify({
      alpha: {
        label: { greeting: 'Hello __who__!', x: 'Alpha', items: '__count__ item', items_plural: '__count__ items' },
        log: { loaded: 'alpha catalogue v__version__ ready', created: 'alpha node __name__ created' },
      },
    }),
    'nodes/locales/de/alpha.json': JSON.stringify({ alpha: { label: { greeting: 'Hallo __who__!' } } }),
    'nodes/locales/de/alpha.html': '<script type="text/html" data-help-name="alpha"><p>Hilfe zu alpha.</p></script>\n',
    'nodes/icons/alpha.svg': SVG('#c00'),
    'nodes/icons/alpha.png': PNG,
    'nodes/icons/other.png': PNG,
    'nodes/icons/notes.txt': 'not an icon',
    'examples/basic.json': JSON.stringify([{ id: 'e1', type: 'alpha', name: 'example', wires: [] }]),
    'examples/group/deeper.json': JSON.stringify([{ id: 'e2', type: 'alpha', wires: [] }]),
    'examples/readme.txt': 'not a flow',
    'resources/alpha-lib.js': 'window.alphaLib = 1;\n',
    'resources/sub/data.txt': 'data\n',
  });
}

/** The other packages of the palette userDir, one behaviour each. */
async function others(nm: string): Promise<void> {
  // found in node_modules but not listed in the userDir's package.json: local, not user
  await writePackage(path.join(nm, 'node-red-contrib-dep'), { name: 'node-red-contrib-dep', version: '0.1.0', red: { nodes: { dep: 'dep.js' } } }, {
    'dep.js': nodeJs('dep-node'), 'dep.html': nodeHtml('dep-node'),
  });
  // a scoped package with icons and resources
  await writePackage(path.join(nm, '@crimson-test', 'node-red-scoped'), { name: '@crimson-test/node-red-scoped', version: '2.0.0', red: { nodes: { scoped: 'lib/scoped.js' } } }, {
    'lib/scoped.js': nodeJs('scoped-node'), 'lib/scoped.html': nodeHtml('scoped-node', { icon: 'scoped.svg' }),
    'lib/icons/scoped.svg': SVG('#0c0'), 'resources/s.css': '.scoped { color: red; }\n',
    'examples/Scoped demo.json': JSON.stringify([{ id: 's1', type: 'scoped-node', wires: [] }]),
  });
  // needs a later Node-RED: skipped with a warning
  await writePackage(path.join(nm, 'node-red-contrib-oldver'), { name: 'node-red-contrib-oldver', version: '1.0.0', red: { version: '>=9.0.0', nodes: { old: 'old.js' } } }, {
    'old.js': nodeJs('old-node'), 'old.html': nodeHtml('old-node'),
  });
  // a matching version range loads
  await writePackage(path.join(nm, 'node-red-contrib-newver'), { name: 'node-red-contrib-newver', version: '1.0.0', red: { version: '>=3.0.0', nodes: { newer: 'newer.js' } } }, {
    'newer.js': nodeJs('newer-node'), 'newer.html': nodeHtml('newer-node'),
  });
  // throws when required (line 3), and from inside the module function (line 3)
  await writePackage(path.join(nm, 'node-red-contrib-throws'), { name: 'node-red-contrib-throws', version: '1.0.0', red: { nodes: { toplevel: 'toplevel.js', inbody: 'inbody.js' } } }, {
    'toplevel.js': "// a module that fails as it is required\nconst x = 1;\nthrow new Error('broken at require ' + x);\n",
    'toplevel.html': nodeHtml('toplevel-node'),
    'inbody.js': "module.exports = function (RED) {\n  // no such function\n  notDefinedAnywhere(RED);\n};\n",
    'inbody.html': nodeHtml('inbody-node'),
  });
  // the module function returns a Promise: resolved after registering, or rejected
  await writePackage(path.join(nm, 'node-red-contrib-async'), { name: 'node-red-contrib-async', version: '1.0.0', red: { nodes: { later: 'later.js', rejects: 'rejects.js' } } }, {
    'later.js': [
      'module.exports = async function (RED) {',
      '  await new Promise((r) => setTimeout(r, 50));',
      "  RED.nodes.registerType('async-later', function (config) { RED.nodes.createNode(this, config); this.on('input', (msg, send, done) => { msg.payload = 'later:' + msg.payload; send(msg); done(); }); });",
      '};',
      '',
    ].join('\n'),
    'later.html': nodeHtml('async-later'),
    'rejects.js': "module.exports = function (RED) {\n  return new Promise((resolve, reject) => setTimeout(() => reject(new Error('async failure')), 20));\n};\n",
    'rejects.html': nodeHtml('async-rejects'),
  });
  // an ES module package ("type": "module", default export) and an .mjs entry
  await writePackage(path.join(nm, 'node-red-contrib-esm'), { name: 'node-red-contrib-esm', version: '1.0.0', red: { nodes: { esm: 'esm.js' } }, extra: { type: 'module' } }, {
    'esm.js': "export default function (RED) {\n  RED.nodes.registerType('esm-node', function (config) { RED.nodes.createNode(this, config); this.on('input', (msg, send, done) => { msg.payload = 'esm:' + msg.payload; send(msg); done(); }); });\n}\n",
    'esm.html': nodeHtml('esm-node'),
  });
  await writePackage(path.join(nm, 'node-red-contrib-mjs'), { name: 'node-red-contrib-mjs', version: '1.0.0', red: { nodes: { mjs: 'entry.mjs' } } }, {
    'entry.mjs': "export default function (RED) {\n  RED.nodes.registerType('mjs-node', function (config) { RED.nodes.createNode(this, config); this.on('input', (msg, send, done) => { msg.payload = 'mjs:' + msg.payload; send(msg); done(); }); });\n}\n",
    'entry.html': nodeHtml('mjs-node'),
  });
  // names a type the loose file set in <userDir>/nodes has, and one of its own
  await writePackage(path.join(nm, 'node-red-contrib-dup'), { name: 'node-red-contrib-dup', version: '1.0.0', red: { nodes: { dup: 'dup.js' } } }, {
    'dup.js': nodeJs('dup-own'),
    'dup.html': nodeHtml('dup-own') + nodeHtml('loose-node'),
  });
  // a constructor that throws
  await writePackage(path.join(nm, 'node-red-contrib-ctor'), { name: 'node-red-contrib-ctor', version: '1.0.0', red: { nodes: { ctor: 'ctor.js' } } }, {
    'ctor.js': "module.exports = function (RED) {\n  RED.nodes.registerType('ctor-throws', function (config) {\n    RED.nodes.createNode(this, config);\n    throw new Error('constructor failed');\n  });\n};\n",
    'ctor.html': nodeHtml('ctor-throws'),
  });
  // not node packages
  await writePackage(path.join(nm, 'plain-lib'), { name: 'plain-lib', version: '1.0.0' }, { 'index.js': 'module.exports = 1;\n' });
  await writeFiles(path.join(nm, 'no-package-json'), { 'index.js': 'module.exports = 1;\n' });
}

/** Loose node files in <userDir>/nodes (module node-red, NN- prefix dropped; an .html is needed). */
async function looseFiles(userDir: string): Promise<void> {
  await writeFiles(path.join(userDir, 'nodes'), {
    // a loose file's RED._ looks in the core catalogue: Node-RED reads no locales/ for its own module's sets
    '10-loose.js': nodeJs('loose-node', "RED._('common.label.name') + ':' + RED._('loose.label') + ':' + msg.payload"), '10-loose.html': nodeHtml('loose-node'),
    'locales/en-US/10-loose.json': JSON.stringify({ loose: { label: 'from the loose catalogue' } }),
    'sub/20-inner.js': nodeJs('inner-node'), 'sub/20-inner.html': nodeHtml('inner-node', { icon: 'inner.svg' }),
    'sub/icons/inner.svg': SVG('#00c'),
    'nohtml.js': nodeJs('nohtml-node'),
    '30-cjsfile.cjs': nodeJs('cjs-node'), '30-cjsfile.html': nodeHtml('cjs-node'),
    'lib/ignored.js': nodeJs('ignored-node'), 'lib/ignored.html': nodeHtml('ignored-node'),
    'readme.txt': 'not a node',
  });
  await writeFiles(path.join(userDir, 'lib', 'icons'), { 'user-icon.png': PNG });
}

/** The .config.nodes.json that keeps node-red-contrib-disabled/dis disabled (Node-RED needs the node-red entry). */
export function disabledConfig(): string {
  return JSON.stringify({
    'node-red': { name: 'node-red', version: '4.1.15', local: false, user: false, nodes: {} },
    'node-red-contrib-disabled': {
      name: 'node-red-contrib-disabled', version: '1.0.0', local: true, user: false,
      nodes: { dis: { name: 'dis', types: ['dis-node'], enabled: false, local: true, user: false, module: 'node-red-contrib-disabled' } },
    },
  }, null, 2);
}

/** The palette userDir: every fixture package, loose files, the user's package.json and .config.nodes.json. */
export async function buildPaletteUserDir(userDir: string): Promise<void> {
  const nm = path.join(userDir, 'node_modules');
  await alpha(nm);
  await others(nm);
  await looseFiles(userDir);
  await writeFiles(userDir, {
    'package.json': JSON.stringify({ name: 'node-red-project', version: '0.0.1', dependencies: { 'node-red-contrib-alpha': '~1.0.0', '@crimson-test/node-red-scoped': '~2.0.0', 'node-red-contrib-esm': '1.0.0' } }, null, 2),
  });
}

/** A set kept disabled by .config.nodes.json, beside an enabled one of the same package. */
export async function buildDisabledUserDir(userDir: string): Promise<void> {
  await writePackage(path.join(userDir, 'node_modules', 'node-red-contrib-disabled'), { name: 'node-red-contrib-disabled', version: '1.0.0', red: { nodes: { dis: 'dis.js', live: 'live.js' } } }, {
    'dis.js': "module.exports = function (RED) { RED.log.warn('the disabled set ran'); RED.nodes.registerType('dis-node', function (config) { RED.nodes.createNode(this, config); }); };\n",
    'dis.html': nodeHtml('dis-node'),
    'live.js': nodeJs('live-node'), 'live.html': nodeHtml('live-node'),
  });
  await writeFiles(userDir, { '.config.nodes.json': disabledConfig() });
}

/**
 * settings.nodesDir in its three forms, under <userDir>/extra: `pkgdir` is a node package itself, `withnm` has
 * loose files and a node_modules folder, `loose` holds loose files, an icons folder and a package folder. The
 * userDir's own node_modules has a package that is also in `withnm` (the local copy wins).
 */
export async function buildNodesDirUserDir(userDir: string): Promise<void> {
  const extra = path.join(userDir, 'extra');
  await writePackage(path.join(extra, 'pkgdir'), { name: 'node-red-contrib-pkgdir', version: '3.0.0', red: { nodes: { pd: 'pd.js' } } }, {
    'pd.js': nodeJs('pkgdir-node'), 'pd.html': nodeHtml('pkgdir-node'), 'icons/pd.svg': SVG('#123'), 'examples/pd.json': '[]',
    // loose-looking files inside a package folder are not loose files
    'stray.js': nodeJs('stray-node'), 'stray.html': nodeHtml('stray-node'),
  });
  await writeFiles(path.join(extra, 'withnm'), { '30-wn.js': nodeJs('withnm-loose'), '30-wn.html': nodeHtml('withnm-loose') });
  await writePackage(path.join(extra, 'withnm', 'node_modules', 'node-red-contrib-innm'), { name: 'node-red-contrib-innm', version: '1.1.0', red: { nodes: { innm: 'innm.js' } } }, {
    'innm.js': nodeJs('innm-node'), 'innm.html': nodeHtml('innm-node'),
  });
  await writePackage(path.join(extra, 'withnm', 'node_modules', 'node-red-contrib-twice'), { name: 'node-red-contrib-twice', version: '9.9.9', red: { nodes: { twice: 'twice.js' } } }, {
    'twice.js': nodeJs('twice-node', "'nodesDir copy'"), 'twice.html': nodeHtml('twice-node'),
  });
  await writePackage(path.join(userDir, 'node_modules', 'node-red-contrib-twice'), { name: 'node-red-contrib-twice', version: '1.0.0', red: { nodes: { twice: 'twice.js' } } }, {
    'twice.js': nodeJs('twice-node', "'local copy'"), 'twice.html': nodeHtml('twice-node'),
  });
  // one set name twice: <userDir>/nodes/45-twin.js, then extra/loose/46-twin.js
  await writeFiles(path.join(userDir, 'nodes'), { '45-twin.js': nodeJs('twin-a'), '45-twin.html': nodeHtml('twin-a'), '47-after.js': nodeJs('after-node'), '47-after.html': nodeHtml('after-node') });
  await writeFiles(path.join(extra, 'loose'), {
    '46-twin.js': nodeJs('twin-b'), '46-twin.html': nodeHtml('twin-b'),
    '40-lf.js': nodeJs('loosedir-node'), '40-lf.html': nodeHtml('loosedir-node'), 'icons/lf.svg': SVG('#456'),
    'deep/41-deeper.js': nodeJs('deeper-node'), 'deep/41-deeper.html': nodeHtml('deeper-node'),
  });
  await writePackage(path.join(extra, 'loose', 'node-red-contrib-indir'), { name: 'node-red-contrib-indir', version: '0.0.1', red: { nodes: { indir: 'indir.js' } } }, {
    'indir.js': nodeJs('indir-node'), 'indir.html': nodeHtml('indir-node'),
  });
}

/** Packages and loose files for nodesIncludes / nodesExcludes and the palette allow / deny lists. */
export async function buildFilterUserDir(userDir: string): Promise<void> {
  const nm = path.join(userDir, 'node_modules');
  const pkg = async (dir: string, name: string, version: string, type: string) =>
    writePackage(path.join(nm, dir), { name, version, red: { nodes: { [type]: `${type}.js` } } }, { [`${type}.js`]: nodeJs(type), [`${type}.html`]: nodeHtml(type) });
  await pkg('node-red-contrib-one', 'node-red-contrib-one', '1.0.0', 'one');
  await pkg('node-red-contrib-two', 'node-red-contrib-two', '2.5.0', 'two');
  await pkg('node-red-node-three', 'node-red-node-three', '0.3.0', 'three');
  await pkg('@filter/node-red-four', '@filter/node-red-four', '4.0.0', 'four');
  await pkg('other-five', 'other-five', '5.0.0', 'five');
  await writeFiles(path.join(userDir, 'nodes'), {
    '50-keep.js': nodeJs('keep-node'), '50-keep.html': nodeHtml('keep-node'),
    '51-drop.js': nodeJs('drop-node'), '51-drop.html': nodeHtml('drop-node'),
  });
  await writeFiles(userDir, { 'package.json': JSON.stringify({ name: 'x', dependencies: { 'node-red-contrib-one': '*', 'other-five': '*' } }) });
}
