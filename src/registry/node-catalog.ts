// Message catalogues of node sets (locales/<lang>/<file>.json) with the language rules Node-RED's i18n
// answers by: a catalogue is completed from its base language and from en-US; a language without a file of
// its own borrows its base language's; anything else has none (no fallback to en-US for "fr" or "xx").
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CatalogFiles } from './core-definitions.js';

export type Catalog = Record<string, unknown>;

export const DEFAULT_LANG = 'en-US';

/** The characters Node-RED accepts in a requested language; others make it use en-US (or answer {}). */
export const isAcceptableLang = (lang: string): boolean => !/[^0-9a-z=\-*]/i.test(lang);

const isObject = (v: unknown): v is Catalog => typeof v === 'object' && v !== null && !Array.isArray(v);

/** i18next v4 plural keys: `x_plural` becomes `x_other` (unless that exists), in place. */
function migratePlurals(catalog: Catalog): Catalog {
  for (const key of Object.keys(catalog)) {
    const value = catalog[key];
    if (isObject(value)) migratePlurals(value);
    else if (key.endsWith('_plural')) {
      const other = key.replace('_plural', '_other');
      if (!catalog[other]) catalog[other] = value;
      delete catalog[key];
    }
  }
  return catalog;
}

/** Fills the keys `target` lacks (or holds an empty value for) from `fallback`, deeply, in place. */
function fillFrom(target: Catalog, fallback: Catalog): void {
  for (const key of Object.keys(fallback)) {
    if (key === '__proto__') continue;
    const have = target[key];
    if (!have) target[key] = structuredClone(fallback[key]);
    else if (isObject(have) && isObject(fallback[key])) fillFrom(have, fallback[key]);
  }
}

/** The language code as i18next stores it (region upper case…); catalogues exist only under that form. */
function canonical(lang: string): string {
  try {
    return Intl.getCanonicalLocales(lang)[0] ?? lang;
  } catch {
    return lang;
  }
}

export interface CatalogReader {
  /** The catalogue held for exactly `lang` (what GET /nodes/messages and /nodes/:set/messages answer). */
  bundle(files: CatalogFiles, lang: string): Promise<Catalog | undefined>;
  /** The editor's /locales/<namespace> lookup: `lang`'s catalogue, else that of its base language. */
  forLocales(files: CatalogFiles, lang: string): Promise<Catalog | undefined>;
}

/** One reader per runtime; parsed files are kept (catalogue files do not change while running). */
export function createCatalogReader(): CatalogReader {
  const parsed = new Map<string, Catalog>();

  /** The file of one language as written (plural keys migrated), or undefined. */
  async function fileOf(files: CatalogFiles, lang: string): Promise<Catalog | undefined> {
    if (!/^[a-z-]+$/i.test(lang)) return undefined;
    const file = path.join(files.dir, lang, files.file);
    const cached = parsed.get(file);
    if (cached) return cached;
    try {
      const value: unknown = JSON.parse((await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
      if (!isObject(value)) return undefined;
      parsed.set(file, migratePlurals(value));
      return value;
    } catch {
      return undefined;
    }
  }

  /** What Node-RED's i18n loads for a language: its file completed from base and en-US, or its base's. */
  async function load(files: CatalogFiles, lang: string): Promise<Catalog | undefined> {
    const own = await fileOf(files, lang);
    const base = lang.split('-')[0]!;
    if (!own) return lang.includes('-') ? load(files, base) : undefined;
    const result = structuredClone(own);
    if (base !== lang) {
      const b = await fileOf(files, base);
      if (b) fillFrom(result, b);
    }
    if (lang !== DEFAULT_LANG) {
      const d = await fileOf(files, DEFAULT_LANG);
      if (d) fillFrom(result, d);
    }
    return result;
  }

  const bundle = async (files: CatalogFiles, lang: string) =>
    lang && (!lang.includes('-') || canonical(lang) === lang) ? load(files, lang) : undefined;

  return {
    bundle,
    async forLocales(files, lang) {
      const parts = lang.split('-');
      return (await bundle(files, lang)) ?? (parts.length === 2 ? bundle(files, parts[0]!) : undefined);
    },
  };
}
