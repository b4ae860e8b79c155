// Reading a node set's editor HTML (Node-RED's format): its top-level <script> blocks, which node types each
// belongs to, keeping only the types a set really registered, and cutting out the inline help blocks.

interface ScriptBlock {
  start: number;
  end: number;
  /** The opening tag, `<script …>`. */
  tag: string;
  body: string;
}

/** The top-level <script> elements of an HTML text, in order (those inside HTML comments are text). */
function scriptBlocks(html: string): ScriptBlock[] {
  const OPEN = /<!--|<script(?=[\s>/])/gi;
  const CLOSE = /<\/script\s*>/gi;
  const blocks: ScriptBlock[] = [];
  for (let m = OPEN.exec(html); m; m = OPEN.exec(html)) {
    if (m[0] === '<!--') {
      const endOfComment = html.indexOf('-->', m.index + 4);
      if (endOfComment < 0) break;
      OPEN.lastIndex = endOfComment + 3;
      continue;
    }
    const tagEnd = html.indexOf('>', m.index);
    if (tagEnd < 0) break;
    CLOSE.lastIndex = tagEnd + 1;
    const close = CLOSE.exec(html);
    const end = close ? close.index + close[0].length : html.length;
    blocks.push({ start: m.index, end, tag: html.slice(m.index, tagEnd + 1), body: html.slice(tagEnd + 1, close ? close.index : html.length) });
    OPEN.lastIndex = end;
  }
  return blocks;
}

function attribute(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return m ? (m[1] ?? m[2]) : undefined;
}

const REGISTER = /registerType\s*\(\s*(?:'([^'\n]*)'|"([^"\n]*)"|`([^`\n]*)`)/g;

/** The node types a block belongs to: its template or help name, or the literal types its code registers. */
function typesOf(block: ScriptBlock): string[] {
  const named = attribute(block.tag, 'data-template-name') ?? attribute(block.tag, 'data-help-name');
  if (named !== undefined) return [named];
  return [...block.body.matchAll(REGISTER)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/**
 * The HTML with only what belongs to `types`, the types the set registered at runtime.
 *
 * Node-RED serves a set's file whole, but Crimson may run only some of a file's types (17-split.html
 * defines split and join; Crimson runs split). Each top-level <script> belongs to the types it names
 * (data-template-name, data-help-name, or the literal names of its RED.nodes.registerType calls). A block
 * that names types, none of them registered, is dropped, so the editor gets no palette entry, template or
 * help for a type that would be "missing" at deploy. A block naming no type (shared code, `<script src>`)
 * or at least one registered type is kept whole: code is never cut inside a script. Were one script to
 * register both kinds, the editor itself refuses the unregistered one (its registerType accepts only the
 * types listed for the set by GET /nodes), with a notification instead of a palette entry.
 * When every named type is registered the text comes back unchanged.
 */
export function onlyTypes(html: string, types: ReadonlySet<string>): string {
  let out = '';
  let from = 0;
  for (const b of scriptBlocks(html)) {
    const named = typesOf(b);
    if (named.length === 0 || named.some((t) => types.has(t))) continue;
    out += html.slice(from, b.start);
    from = b.end;
  }
  return from === 0 ? html : out + html.slice(from);
}

export interface SplitHtml {
  /** The HTML without its help blocks (the text around them stays). */
  main: string;
  /** The cut-out help blocks by their data-lang (en-US when absent), concatenated in file order. */
  help: Map<string, string>;
}

/** Cuts the `<script data-help-name=…>` blocks out of a definition file, as Node-RED does at load. */
export function cutHelp(html: string, defaultLang = 'en-US'): SplitHtml {
  const help = new Map<string, string>();
  let main = '';
  let from = 0;
  for (const b of scriptBlocks(html)) {
    if (attribute(b.tag, 'data-help-name') === undefined) continue;
    main += html.slice(from, b.start);
    from = b.end;
    const lang = attribute(b.tag, 'data-lang') || defaultLang;
    help.set(lang, (help.get(lang) ?? '') + html.slice(b.start, b.end));
  }
  return { main: main + html.slice(from), help };
}
