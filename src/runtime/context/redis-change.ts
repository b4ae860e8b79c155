// How the redis context store's changes travel on its channel: a JSON head naming the origin instance and,
// for each changed field, its scope, name and the length of its value's JSON (-1: deleted), then a newline
// and the values' JSON one after another, as they are. A large value (a 1,000-item list) is then neither
// escaped into a JSON string by the sender nor unescaped by every receiver, and an instance reading its own
// change back parses only the head. A message without a newline is the whole-JSON form earlier versions
// sent (values as strings inside it); it is still read.

/** One change: origin instance and [scope, field, JSON or null when deleted] entries, or `x`: a whole scope. */
export interface Change { o: string; c?: Array<[string, string, string | null]>; s?: string; x?: 1 }

type Head = { o: string; c?: Array<[string, string, number]>; s?: string; x?: 1 };

/** The head of a change's message, newline included: what precedes the values. */
export function encodeHead(change: Change): string {
  if (!change.c) return JSON.stringify(change) + '\n';
  const head: Head = { o: change.o, c: change.c.map(([scope, field, json]) => [scope, field, json === null ? -1 : json.length]) };
  return JSON.stringify(head) + '\n';
}

export function encodeChange(change: Change): string {
  let text = encodeHead(change);
  for (const entry of change.c ?? []) if (entry[2] !== null) text += entry[2];
  return text;
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** The change a message carries; undefined for anything malformed. */
export function decodeChange(raw: string): Change | undefined {
  try {
    const nl = raw.indexOf('\n');
    const head = JSON.parse(nl === -1 ? raw : raw.slice(0, nl)) as Head | Change;
    if (!head || typeof head !== 'object' || !isText(head.o)) return undefined;
    if (head.c === undefined) return isText(head.s) ? { o: head.o, s: head.s, x: 1 } : undefined;
    if (!Array.isArray(head.c)) return undefined;
    if (nl === -1) {
      const ok = head.c.every((e) => Array.isArray(e) && isText(e[0]) && isText(e[1]) && (e[2] === null || isText(e[2])));
      return ok ? (head as Change) : undefined;
    }
    let at = nl + 1;
    const c: Change['c'] = [];
    for (const e of head.c as unknown[]) {
      if (!Array.isArray(e) || !isText(e[0]) || !isText(e[1]) || typeof e[2] !== 'number' || !Number.isInteger(e[2])) return undefined;
      const n = e[2];
      if (n < 0) { c.push([e[0], e[1], null]); continue; }
      if (at + n > raw.length) return undefined;
      c.push([e[0], e[1], raw.slice(at, at + n)]);
      at += n;
    }
    return at === raw.length ? { o: head.o, c } : undefined;
  } catch {
    return undefined;
  }
}
