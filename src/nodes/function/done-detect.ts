// Does a function body call node.done() itself? Node-RED decides by parsing the code; here a small scanner
// skips comments, strings, template text and regex literals and looks for a `node.done(…)` call.

const PREFILTER = /node\.done\s*\(\s*\)/;
const REGEX_AFTER = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw',
  'case', 'do', 'else', 'yield', 'await']);
// tokens that stand for a literal (the code after them cannot start a regex)
const LITERAL = '"';

/** True when the text has `node.done()` somewhere (even in a comment): Node-RED only parses such code. */
export function mentionsNodeDone(code: string): boolean {
  return PREFILTER.test(code);
}

/** Node-RED's rule: the text mentions `node.done()` and the code really calls `node.done(...)`. */
export function callsNodeDone(code: string): boolean {
  return PREFILTER.test(code) && hasNodeDoneCall(tokenize(code));
}

function hasNodeDoneCall(t: string[]): boolean {
  for (let k = 0; k < t.length; k++) {
    if (t[k] !== 'node') continue;
    const prev = t[k - 1];
    if (prev === '.' || prev === '?.' || prev === 'new') continue;
    let j = k + 1;
    if ((t[j] === '.' || t[j] === '?.') && t[j + 1] === 'done') j += 2;
    else if (t[j] === '[' && t[j + 1] === 'done' && t[j + 2] === ']') j += 3;
    else continue;
    if (t[j] === '?.') j++;
    if (t[j] === '(') return true;
  }
  return false;
}

const isIdChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;

function regexAllowed(prev: string | undefined): boolean {
  if (prev === undefined) return true;
  if (prev === LITERAL || prev === ')' || prev === ']' || prev === '}') return false;
  return !isIdChar(prev.charCodeAt(0)) || REGEX_AFTER.has(prev);
}

function skipQuoted(src: string, i: number, quote: string): number {
  for (i++; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === quote || c === '\n') return i + 1;
  }
  return i;
}

/** Skips template text from `i` (just after ` or }); returns the end index and whether `${` was entered. */
function skipTemplateText(src: string, i: number): [number, boolean] {
  for (; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '`') return [i + 1, false];
    else if (c === '$' && src[i + 1] === '{') return [i + 2, true];
  }
  return [i, false];
}

function skipRegex(src: string, i: number): number {
  let inClass = false;
  for (i++; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '\n') return i;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) { i++; break; }
  }
  while (i < src.length && isIdChar(src.charCodeAt(i))) i++;
  return i;
}

/** The code's significant tokens: identifiers/keywords/numbers as written, literals as `"`, punctuation. */
function tokenize(src: string): string[] {
  const out: string[] = [];
  const resumeAt: number[] = []; // brace depths at which an open `${` returns to its template
  let depth = 0;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const code = src.charCodeAt(i);
    if (code <= 32) { i++; continue; }
    if (c === '/' && src[i + 1] === '/') { const e = src.indexOf('\n', i); i = e < 0 ? src.length : e; continue; }
    if (c === '/' && src[i + 1] === '*') { const e = src.indexOf('*/', i + 2); i = e < 0 ? src.length : e + 2; continue; }
    if (c === '"' || c === "'") { i = skipQuoted(src, i, c); out.push(LITERAL); continue; }
    if (c === '`' || (c === '}' && resumeAt.length > 0 && resumeAt[resumeAt.length - 1] === depth)) {
      if (c === '}') { resumeAt.pop(); depth--; }
      const [end, entered] = skipTemplateText(src, i + 1);
      i = end;
      if (entered) { depth++; resumeAt.push(depth); } else out.push(LITERAL);
      continue;
    }
    if (c === '/' && regexAllowed(out[out.length - 1])) { i = skipRegex(src, i); out.push(LITERAL); continue; }
    if (isIdChar(code)) {
      let e = i + 1;
      while (e < src.length && isIdChar(src.charCodeAt(e))) e++;
      out.push(src.slice(i, e));
      i = e;
      continue;
    }
    if (c === '?' && src[i + 1] === '.' && !(src.charCodeAt(i + 2) >= 48 && src.charCodeAt(i + 2) <= 57)) {
      out.push('?.');
      i += 2;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    out.push(c);
    i++;
  }
  return out;
}
