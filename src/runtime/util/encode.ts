// RED.util.encodeObject: sets `format` and a JSON-safe `msg` on {msg: value} for the debug sidebar (COMPAT
// B7), marking Buffers, functions, Sets, Maps, errors, circular refs... and cutting long values at maxLength.

export interface Encodable { msg?: unknown; format?: string; [key: string]: unknown }
export interface EncodeOptions { maxLength?: number }

/** The constructor's name ('' when there is none; undefined for a constructor without a name). */
const ctorName = (o: any): any => (o && o.constructor ? o.constructor.name : '');
const isErrorLike = (v: any): boolean => v instanceof Error || /Error/.test(v?.__proto__?.name);
const enc = (type: string, extra?: Record<string, unknown>) => ({ __enc__: true, type, ...extra });

function errorValue(e: any): object {
  const data: Record<string, unknown> = {
    name: e.name,
    message: Object.hasOwn(e, 'message') ? e.message : e.toString(),
    code: e.code,
    cause: e.cause + '',
    stack: e.stack,
  };
  if (e.cause === undefined) delete data.cause;
  if (e.code === undefined) delete data.code;
  return enc('error', { data });
}

/** JSON.stringify where a value that is one of its own ancestors becomes "[Circular ~.path]". */
function safeStringify(root: unknown, replacer: (this: unknown, key: string, value: unknown) => unknown): string {
  const ancestors: unknown[] = [];
  const path: string[] = [];
  return JSON.stringify(root, function (this: unknown, key: string, value: unknown) {
    if (ancestors.length === 0) {
      ancestors.push(value);
    } else {
      const at = ancestors.indexOf(this);
      if (at >= 0) { ancestors.length = at + 1; path.length = at; } else { ancestors.push(this); }
      path.push(key);
      const loop = ancestors.indexOf(value);
      if (loop === 0) value = '[Circular ~]';
      else if (loop > 0) value = '[Circular ~.' + path.slice(0, loop).join('.') + ']';
    }
    return replacer.call(this, key, value);
  });
}

function nestedReplacer(max: any) {
  return function (key: string, value: any): unknown {
    if (key === '_req' || key === '_res') return enc('internal');
    if (isErrorLike(value)) return errorValue(value);
    if (Array.isArray(value) && value.length > max) {
      return enc('array', { data: value.slice(0, max), length: value.length });
    }
    if (ArrayBuffer.isView(value) && (value as any).length > max && !Buffer.isBuffer(value)) {
      return enc(ctorName(value), { data: Array.from(value as any).slice(0, max), length: (value as any).length });
    }
    switch (typeof value) {
      case 'string': return value.length > max ? value.substring(0, max) + '...' : value;
      case 'function': return enc('function');
      case 'number': return Number.isFinite(value) ? value : enc('number', { data: value.toString() });
      case 'bigint': return enc('bigint', { data: value.toString() });
      case 'undefined': return enc('undefined');
    }
    if (!value || !value.constructor) return value;
    if (value.type === 'Buffer') {
      const out = { ...value, __enc__: true, length: value.data.length };
      if (out.length > max) out.data = value.data.slice(0, max);
      return out;
    }
    if (ArrayBuffer.isView(value)) {
      return enc('array', { data: Array.from(value as any), length: (value as any).length });
    }
    switch (ctorName(value)) {
      case 'ServerResponse': case 'Socket': return '[internal]';
      case 'Set': return enc('set', { data: Array.from(value).slice(0, max), length: value.size });
      case 'Map': return enc('map', { data: Object.fromEntries(Array.from(value.entries() as Iterable<[PropertyKey, unknown]>).slice(0, max)), length: value.size });
      case 'RegExp': return enc('regexp', { data: value.toString() });
    }
    return value;
  };
}

function encodeObjectValue(target: Encodable, v: any, max: any): void {
  let format: any;
  try {
    format = ctorName(v) || 'Object';
    if (format === 'IncomingMessage' || format === 'ServerResponse') format = 'Object';
  } catch {
    format = 'Object';
  }
  target.format = format;
  if (/error/i.test(format)) {
    target.msg = JSON.stringify({ name: v.name, message: v.message });
    return;
  }
  const isArray = Array.isArray(v);
  let needsStringify = isArray || ArrayBuffer.isView(v);
  if (needsStringify) {
    const typeName = isArray ? 'array' : ctorName(v);
    target.format = typeName + '[' + v.length + ']';
    if (v.length > max) target.msg = enc(typeName, { data: v.slice(0, max), length: v.length });
  } else if (format === 'Set') {
    target.format = 'set[' + v.size + ']';
    target.msg = enc('set', { data: Array.from(v).slice(0, max), length: v.size });
    needsStringify = true;
  } else if (format === 'Map') {
    target.format = 'map';
    target.msg = enc('map', { data: Object.fromEntries(Array.from(v.entries() as Iterable<[PropertyKey, unknown]>).slice(0, max)), length: v.size });
    needsStringify = true;
  } else if (format === 'RegExp') {
    target.format = 'regexp';
    target.msg = v.toString();
  }
  if (needsStringify || target.format === 'Object') {
    target.msg = safeStringify(target.msg, nestedReplacer(max));
    return;
  }
  try {
    target.msg = (target.msg as any).toString();
  } catch (e: any) {
    target.msg = JSON.stringify(enc('error', { data: { message: '[Type not serializable]', stack: e?.stack } }));
  }
}

/**
 * Encodes `obj.msg` in place and returns `obj` with `format` set (e.g. `string[5]`, `Object`, `buffer[3]`).
 * maxLength (default 1000) cuts strings ("..." appended), arrays, Sets, Maps and Buffer hex text.
 */
export function encodeObject(obj: Encodable, opts?: EncodeOptions): Encodable {
  if (obj === null || typeof obj !== 'object') throw new TypeError('encodeObject needs an object with a msg property');
  try {
    const max: any = opts && Object.hasOwn(opts, 'maxLength') ? opts.maxLength : 1000;
    const v: any = obj.msg;
    const type = typeof v;
    if (isErrorLike(v)) {
      obj.format = 'error';
      obj.msg = JSON.stringify(errorValue(v));
    } else if (v instanceof Buffer) {
      obj.format = 'buffer[' + v.length + ']';
      const hex = v.toString('hex');
      obj.msg = hex.length > max ? hex.substring(0, max) : hex;
    } else if (v && type === 'object') {
      encodeObjectValue(obj, v, max);
    } else if (type === 'function') {
      obj.format = 'function';
      obj.msg = '[function]';
    } else if (type === 'boolean' || type === 'number') {
      obj.format = type;
      obj.msg = v.toString();
    } else if (type === 'bigint') {
      obj.format = 'bigint';
      obj.msg = enc('bigint', { data: v.toString() });
    } else if (v === null || type === 'undefined') {
      obj.format = v === null ? 'null' : 'undefined';
      obj.msg = '(undefined)';
    } else {
      obj.format = 'string[' + v.length + ']';
      if (v.length > max) obj.msg = v.substring(0, max) + '...';
    }
  } catch (e: any) {
    const message = e !== null && typeof e === 'object' && Object.hasOwn(e, 'message') ? e.message : String(e);
    obj.format = 'error';
    obj.msg = JSON.stringify(enc('error', { data: { name: e?.name, message: 'encodeObject Error: ' + message, stack: e?.stack } }));
  }
  return obj;
}
