// GET <admin>/locales/<namespace>: the editor's own message catalogues (editor, jsonata, infotips) from
// editor-client's locales folder, for ?lng= (default en-US; Accept-Language is not used, as Node-RED) with
// Node-RED's language rules. Other namespaces (node catalogues: "node-red", set ids; {} for anything
// else) are the nodes router's. Also the editor's language list for /settings.
import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { createCatalogReader, DEFAULT_LANG, isAcceptableLang } from '../registry/node-catalog.js';
import { editorLocalesDir } from './files.js';

const EDITOR_NAMESPACES = new Set(['editor', 'jsonata', 'infotips']);

export function createLocales() {
  const reader = createCatalogReader();
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // (quirk) a trailing slash stays part of the namespace: /locales/editor/ is an unknown namespace
    const ns = String((req.params as Record<string, string>)[0] ?? '').replace(/\.json$/, '');
    const lang = String(req.query.lng || DEFAULT_LANG);
    if (!EDITOR_NAMESPACES.has(ns)) return next(); // node catalogues: the nodes router
    if (!isAcceptableLang(lang)) {
      res.json({});
      return;
    }
    res.json((await reader.forLocales({ dir: editorLocalesDir(), file: `${ns}.json` }, lang)) ?? {});
  };
}

let languages: string[] | undefined;

/** The languages the editor has a catalogue in (settings.editorTheme.languages), read once. */
export function editorLanguages(): string[] {
  if (languages) return languages;
  const dir = editorLocalesDir();
  try {
    languages = fs.readdirSync(dir).filter((l) => fs.existsSync(path.join(dir, l, 'editor.json'))).sort();
  } catch {
    languages = [];
  }
  return languages;
}
