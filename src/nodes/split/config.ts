// The split node's configuration (COMPAT D4): separator text / bytes / fixed length, array chunk size,
// stream mode, the property to split and the property that receives an object's key.

/** How strings and buffers are cut: by separator text, by a byte sequence, by length, or (unknown type) not at all. */
export type SplitKind = 'str' | 'bin' | 'len' | 'other';

export interface SplitSettings {
  kind: SplitKind;
  /** `str`: the separator text (escapes decoded). */
  text: string;
  /** `bin`: the separator bytes and, for `msg.parts.ch`, the JSON array they came from. */
  bytes: Buffer;
  byteList: number[];
  /** `bin`: the separator bytes read as UTF-8 text (used on strings). */
  bytesText: string;
  /** `len`: the chunk length. */
  length: number;
  /** Array chunk size (1 = single elements). */
  arrayLength: number;
  stream: boolean;
  property: string;
  addname: string;
}

/** Decodes the escapes the editor lets users type; `\e` becomes a plain `e`, as in Node-RED. */
function decodeEscapes(text: any): string {
  return text.replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\t/g, '\t').replace(/\\e/g, 'e')
    .replace(/\\f/g, '\f').replace(/\\0/g, '\0');
}

/** Reads a node config; throws an Error (shown as "Invalid split property: <err>") for a bad value. */
export function parseSplitConfig(n: Record<string, any>): SplitSettings {
  const type = n.spltType || 'str';
  const settings: SplitSettings = {
    kind: type === 'str' || type === 'bin' || type === 'len' ? type : 'other',
    text: '',
    bytes: Buffer.alloc(0),
    byteList: [],
    bytesText: '',
    length: 0,
    arrayLength: 1,
    stream: n.stream === true,
    property: n.property || 'payload',
    addname: n.addname || '',
  };
  if (settings.kind === 'str') {
    settings.text = decodeEscapes(n.splt || '\\n');
  } else if (settings.kind === 'bin') {
    const list = JSON.parse(n.splt);
    if (!Array.isArray(list)) throw new Error('not an array');
    settings.bytes = Buffer.from(list);
    settings.byteList = list;
    settings.bytesText = settings.bytes.toString();
  } else if (settings.kind === 'len') {
    settings.length = parseInt(n.splt);
    if (isNaN(settings.length) || settings.length < 1) throw new Error('invalid split length: ' + n.splt);
  }
  settings.arrayLength = n.arraySplt === undefined ? 1 : parseInt(n.arraySplt);
  if (isNaN(settings.arrayLength) || settings.arrayLength < 1) {
    throw new Error('invalid array split length: ' + n.arraySplt);
  }
  return settings;
}
