// GET <admin>/ : the editor page, editor-client's templates/index.mst rendered with mustache and the
// theme context as Node-RED renders it (asset urls carry a cache-busting version query).
import fs from 'node:fs';
import crypto from 'node:crypto';
import { mustache } from '../runtime/util/deps.js';
import type { ThemeContext } from './theme.js';
import { editorTemplateFile } from './files.js';

export function createEditorPage(theme: ThemeContext, version: string, instanceId?: string): () => string {
  let html: string | undefined;
  const cacheBuster = crypto.createHash('sha1').update(`${version || 'version'}-${instanceId || 'instanceId'}`).digest('hex').substring(0, 12);
  return () => (html ??= mustache().render(fs.readFileSync(editorTemplateFile(), 'utf8'), { cacheBuster, ...theme }));
}
