// What the browser editor loads about node sets, assembled as Node-RED does: the HTML of each set (its
// definition file, only the types it registered, then its help in the asked language) behind the
// `<!-- --- [red-module:<set id>] --- -->` marker the editor splits on, and the sets' message catalogues.
import fs from 'node:fs/promises';
import type { NodeSetInfo, Registry } from './registry.js';
import { coreCatalog, editorFilesOf } from './core-definitions.js';
import type { EditorFiles } from './core-definitions.js';
import { cutHelp, onlyTypes } from './node-html.js';
import { createCatalogReader, DEFAULT_LANG } from './node-catalog.js';
import type { Catalog } from './node-catalog.js';

export interface NodeEditorContent {
  /** GET /nodes as HTML: every enabled, error-free set. `lang` is an acceptable language code. */
  allHtml(lang: string): Promise<string>;
  /** GET /nodes/:module/:set as HTML, whatever the set's state. */
  setHtml(set: NodeSetInfo, lang: string): Promise<string>;
  /** GET /nodes/messages: the catalogue of every set outside the core module, by set id ({} when none). */
  catalogs(lang: string): Promise<Record<string, Catalog>>;
  /** GET /nodes/:module/:set/messages: that set's own catalogue, or {} (core sets have none of their own). */
  setCatalog(id: string, lang: string): Promise<Catalog>;
  /** GET /locales/<namespace> for node catalogues ("node-red" or a set id), undefined for another namespace. */
  namespace(ns: string, lang: string): Promise<Catalog | undefined>;
}

const isCore = (s: NodeSetInfo) => s.module === 'node-red';

/** `definitions: false` (settings.disableEditor): no definition files are read, as Node-RED; help files still are. */
export function createNodeEditorContent(registry: Registry, opts: { definitions: boolean } = { definitions: true }): NodeEditorContent {
  const texts = new Map<string, string>();
  const catalogReader = createCatalogReader();

  /** A file's text, kept once read (node packages do not change while running); undefined when unreadable. */
  async function text(file: string): Promise<string | undefined> {
    const cached = texts.get(file);
    if (cached !== undefined) return cached;
    try {
      const t = await fs.readFile(file, 'utf8');
      texts.set(file, t);
      return t;
    } catch {
      return undefined;
    }
  }

  /** Node-RED's help order: inline help of the language, its help file, its base language's (xx-YY only), en-US's. */
  async function help(files: EditorFiles, inline: Map<string, string>, types: ReadonlySet<string>, lang: string): Promise<string | undefined> {
    const fromFile = async (l: string) => {
      const t = await text(files.helpFile(l));
      return t ? onlyTypes(t, types) : undefined;
    };
    const parts = lang.split('-');
    const found = inline.get(lang) ?? (await fromFile(lang)) ?? (parts.length === 2 ? await fromFile(parts[0]!) : undefined);
    if (found !== undefined || lang === DEFAULT_LANG) return found;
    return help(files, inline, types, DEFAULT_LANG);
  }

  /** The set's definition without inline help, and its help for `lang` (undefined when it has none). */
  async function parts(set: NodeSetInfo, lang: string): Promise<{ main: string; help?: string }> {
    const files = editorFilesOf(set);
    if (!files) return { main: set.config ?? '' };
    const types = new Set(set.types);
    const html = opts.definitions ? await text(files.html) : undefined;
    const split = cutHelp(html === undefined ? '' : onlyTypes(html, types));
    // a subflow module's generated definition replaces its file's (whose help still counts)
    return { main: set.config ?? split.main, help: await help(files, split.help, types, lang) };
  }

  const ownCatalog = (set: NodeSetInfo | undefined, lang: string) => {
    const files = set && !isCore(set) ? editorFilesOf(set)?.catalog : undefined;
    return files ? catalogReader.bundle(files, lang) : Promise.resolve(undefined);
  };

  return {
    async allHtml(lang) {
      let out = '';
      for (const set of registry.sets().filter((s) => s.enabled && !s.err)) {
        const p = await parts(set, lang);
        out += `\n<!-- --- [red-module:${set.id}] --- -->\n${p.main}${p.help ?? ''}`;
      }
      return out;
    },
    async setHtml(set, lang) {
      const p = await parts(set, lang);
      // (quirk) Node-RED appends its "no help" value as text here: a set without help ends in "null"
      return `<!-- --- [red-module:${set.id}] --- -->\n${p.main}${p.help ?? 'null'}`;
    },
    async catalogs(lang) {
      const out: Record<string, Catalog> = {};
      for (const set of registry.sets().filter((s) => !isCore(s))) out[set.id] = (await ownCatalog(set, lang)) ?? {};
      return out;
    },
    async setCatalog(id, lang) {
      return (await ownCatalog(registry.set(id), lang)) ?? {};
    },
    async namespace(ns, lang) {
      if (ns === 'node-red') return (await catalogReader.forLocales(coreCatalog(), lang)) ?? {};
      const set = registry.set(ns);
      const files = set && !isCore(set) ? editorFilesOf(set)?.catalog : undefined;
      return files ? ((await catalogReader.forLocales(files, lang)) ?? {}) : undefined;
    },
  };
}
