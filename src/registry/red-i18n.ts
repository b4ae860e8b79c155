// RED._ for node code: message lookup in the node sets' catalogues as Node-RED's i18next set-up answers it
// ("namespace:key.path", `__name__` substitutions, count plurals; the key itself when nothing has it), in the
// runtime's language (settings.lang, else the first two letters of LC_ALL / LC_MESSAGES / LANG) with en-US
// behind it. Catalogue files are read synchronously on first use (constructors call RED._) and kept.
import fs from 'node:fs';
import path from 'node:path';
import type { CatalogFiles } from './core-definitions.js';
import { DEFAULT_LANG } from './node-catalog.js';

type Catalog = Record<string, unknown>;

export interface MessageCatalogs {
  /** Makes `files` the catalogue of namespace `ns` (a set id, or "node-red" for the core sets). */
  register(ns: string, files: CatalogFiles): void;
  /** The message of "ns:key" (`defaultNs` when the key names none), substituted, or the key when missing. */
  t(key: string, subs?: Record<string, unknown>, defaultNs?: string): string;
  readonly lang: string;
}

/** The runtime language Node-RED picks: settings.lang, else the locale environment's first two letters. */
export function runtimeLang(settingsLang: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof settingsLang === 'string' && settingsLang) return settingsLang;
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    if (name in env) return String(env[name]).substring(0, 2);
  }
  return DEFAULT_LANG;
}

function readCatalog(files: CatalogFiles, lang: string): Catalog | undefined {
  if (!/^[a-z-]+$/i.test(lang)) return undefined;
  try {
    const value: unknown = JSON.parse(fs.readFileSync(path.join(files.dir, lang, files.file), 'utf8').replace(/^\uFEFF/, ''));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Catalog) : undefined;
  } catch {
    return undefined;
  }
}

function lookup(catalog: Catalog | undefined, key: string): unknown {
  let v: unknown = catalog;
  for (const part of key.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Catalog)[part];
  }
  return v;
}

/**
 * `__name__` (and `__a.b__`) replaced by the value's text (`String(v)`, null → ''), as i18next does: a name
 * the substitutions lack stays as it is written, one they hold as undefined leaves nothing.
 */
function interpolate(text: string, subs: Record<string, unknown> | undefined): string {
  if (!subs || !text.includes('__')) return text;
  return text.replace(/__(.+?)__/g, (match, raw: string) => {
    const name = raw.trim();
    const v = Object.hasOwn(subs, name) ? subs[name] : lookup(subs, name);
    if (v === undefined) return Object.hasOwn(subs, name) ? '' : match;
    return v === null ? '' : String(v);
  });
}

export function createMessageCatalogs(lang: string): MessageCatalogs {
  const namespaces = new Map<string, CatalogFiles>();
  const loaded = new Map<string, Catalog[]>();
  const chain = [lang, lang.split('-')[0]!, DEFAULT_LANG].filter((l, i, all) => l && all.indexOf(l) === i);
  // made on the first plural lookup: Intl's rules touch ICU data (~1 MiB resident) most runs never need
  let rules: Intl.PluralRules | undefined;
  const plurals = (): Intl.PluralRules => {
    if (!rules) {
      try {
        rules = new Intl.PluralRules(lang);
      } catch {
        rules = new Intl.PluralRules(DEFAULT_LANG);
      }
    }
    return rules;
  };

  const catalogsOf = (ns: string): Catalog[] => {
    let list = loaded.get(ns);
    if (!list) {
      const files = namespaces.get(ns);
      list = files ? chain.map((l) => readCatalog(files, l)).filter((c): c is Catalog => !!c) : [];
      loaded.set(ns, list);
    }
    return list;
  };

  // i18next takes the first catalogue that has the key; an object there is not a message (returnObjects off)
  const find = (list: Catalog[], key: string): string | undefined => {
    for (const c of list) {
      const v = lookup(c, key);
      if (v === undefined || v === null) continue;
      return typeof v === 'object' ? `key '${key} (${lang})' returned an object instead of string.` : String(v);
    }
    return undefined;
  };

  return {
    lang,
    register(ns, files) {
      namespaces.set(ns, files);
      loaded.delete(ns);
    },
    t(fullKey, subs, defaultNs = 'runtime') {
      const colon = fullKey.indexOf(':');
      const ns = colon >= 0 ? fullKey.slice(0, colon) : defaultNs;
      const key = colon >= 0 ? fullKey.slice(colon + 1) : fullKey;
      const list = catalogsOf(ns);
      let text: string | undefined;
      const count = subs?.count;
      if (typeof count === 'number') {
        text = find(list, `${key}_${plurals().select(count)}`);
        if (text === undefined && count !== 1) text = find(list, `${key}_other`) ?? find(list, `${key}_plural`);
      }
      text ??= find(list, key);
      return text === undefined ? key : interpolate(text, subs);
    },
  };
}
