// GET <admin>/locales/<namespace>: the editor's own message catalogues (editor, jsonata, infotips) from
// editor-client's locales folder, for ?lng= (default en-US) with Node-RED's language rules; a namespace
// nothing provides answers {}. (Node catalogues, "node-red" and set ids, are answered by the nodes router.)
import type { Request, Response } from 'express';
import { createCatalogReader, DEFAULT_LANG, isAcceptableLang } from '../registry/node-catalog.js';
import { editorLocalesDir } from './files.js';

const EDITOR_NAMESPACES = new Set(['editor', 'jsonata', 'infotips']);

export function createLocales() {
  const reader = createCatalogReader();
  return async (req: Request, res: Response): Promise<void> => {
    const ns = String((req.params as Record<string, string>)[0] ?? '').replace(/\/$/, '').replace(/\.json$/, '');
    const lang = String(req.query.lng || DEFAULT_LANG);
    if (!isAcceptableLang(lang) || !EDITOR_NAMESPACES.has(ns)) {
      res.json({});
      return;
    }
    res.json((await reader.forLocales({ dir: editorLocalesDir(), file: `${ns}.json` }, lang)) ?? {});
  };
}
