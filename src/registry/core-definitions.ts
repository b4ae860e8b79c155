// Where a node set's editor files are: the definition HTML, the help files per language and the message
// catalogue. Core sets take theirs from the @node-red/nodes package (Node-RED's own layout: core/<cat>/<file>.html,
// help in locales/<lang>/<cat>/<file>.html, one catalogue locales/<lang>/messages.json for all core sets, the
// "node-red" namespace); a package's set keeps them beside its entry file (<file>.html, locales/<lang>/<file>.html,
// locales/<lang>/<file>.json, namespace = set id).
import { createRequire } from 'node:module';
import path from 'node:path';
import { CORE_SETS } from '../nodes/index.js';
import type { NodeSetInfo } from './registry.js';

export interface CatalogFiles { dir: string; file: string }

export interface EditorFiles {
  html: string;
  /** The help file for a language code (the caller has checked it is a plain path segment). */
  helpFile(lang: string): string;
  /** The set's own message catalogue; core sets share CORE_CATALOG instead. */
  catalog?: CatalogFiles;
}

/** The directory of the installed @node-red/nodes package (Node's resolver caches the lookup). */
export const corePackageDir = (): string => path.dirname(createRequire(import.meta.url).resolve('@node-red/nodes/package.json'));

/** The core catalogue (namespace "node-red"). */
export const coreCatalog = (): CatalogFiles => ({ dir: path.join(corePackageDir(), 'locales'), file: 'messages.json' });

function coreFiles(name: string): EditorFiles | undefined {
  const def = CORE_SETS.find((d) => d.name === name);
  if (!def) return undefined;
  const root = corePackageDir();
  return {
    html: path.join(root, 'core', `${def.editor}.html`),
    helpFile: (lang) => path.join(root, 'locales', lang, `${def.editor}.html`),
  };
}

function packageFiles(file: string): EditorFiles {
  const html = file.replace(/\.c?js$/, '.html');
  const locales = path.join(path.dirname(file), 'locales');
  return {
    html,
    helpFile: (lang) => path.join(locales, lang, path.basename(html)),
    catalog: { dir: locales, file: path.basename(file).replace(/\.[^.]+$/, '') + '.json' },
  };
}

/** The editor files of a set, or undefined for a set registered without any (its HTML is then empty). */
export function editorFilesOf(set: NodeSetInfo): EditorFiles | undefined {
  if (set.module === 'node-red' && !set.file) return coreFiles(set.name);
  return set.file ? packageFiles(set.file) : undefined;
}
