// Where the editor's files are: the installed @node-red/editor-client package (served as it is, never
// copied) and the core node icons of @node-red/nodes.
import path from 'node:path';
import { createRequire } from 'node:module';
import { corePackageDir } from '../registry/core-definitions.js';

const resolve = createRequire(import.meta.url).resolve;

/** The @node-red/editor-client package folder. */
export const editorClientDir = (): string => path.dirname(resolve('@node-red/editor-client/package.json'));
export const editorPublicDir = (): string => path.join(editorClientDir(), 'public');
export const editorTemplateFile = (): string => path.join(editorClientDir(), 'templates', 'index.mst');
export const editorLocalesDir = (): string => path.join(editorClientDir(), 'locales');
/** The icon a node whose icon cannot be found gets (as Node-RED). */
export const defaultNodeIcon = (): string => path.join(editorPublicDir(), 'red', 'images', 'icons', 'arrow-in.svg');
/** The icons of the core module "node-red". */
export const coreIconsDir = (): string => path.join(corePackageDir(), 'icons');
