// The redis context store's message framing: values travel as they are after a JSON head, both ways round,
// the earlier whole-JSON form is still read, and anything malformed is refused (undefined), never thrown.
import { describe, expect, it } from 'vitest';
import { decodeChange, encodeChange, type Change } from '../../../src/runtime/context/redis-change.js';

describe('redis context change framing', () => {
  it('carries values unescaped after the head, and reads them back', () => {
    const big = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ i, name: `"item" ${i}` })));
    const change: Change = { o: 'inst-1', c: [
      ['global', 'list', big],
      ['n1:f1', 'gone', null],
      ['f1', 'text', JSON.stringify('line one\nline two, \u00e9\u{1F600} and a lone \ud800')],
      ['f1', 'empty', '""'],
    ] };
    const raw = encodeChange(change);
    // the value follows the head as it is (not escaped into a string)
    expect(raw.slice(raw.indexOf('\n') + 1).startsWith(big)).toBe(true);
    expect(raw.length).toBeLessThan(big.length + 200);
    expect(decodeChange(raw)).toEqual(change);
    const back = decodeChange(raw)!;
    expect(JSON.parse(back.c![2]![2]!)).toBe('line one\nline two, \u00e9\u{1F600} and a lone \ud800');
  });

  it('frames a scope removal', () => {
    const change: Change = { o: 'inst-2', s: 'n1:f1', x: 1 };
    expect(decodeChange(encodeChange(change))).toEqual(change);
  });

  it('reads the whole-JSON form earlier versions published', () => {
    const old = { o: 'old', c: [['global', 'count', '42'], ['global', 'gone', null]] };
    expect(decodeChange(JSON.stringify(old))).toEqual(old);
    expect(decodeChange(JSON.stringify({ o: 'old', s: 'f1', x: 1 }))).toEqual({ o: 'old', s: 'f1', x: 1 });
  });

  it('refuses malformed messages', () => {
    const good = encodeChange({ o: 'a', c: [['global', 'k', '123']] });
    for (const raw of [
      '', 'not json', 'null', '[]', '{"c":[]}',
      good.slice(0, -1), // a value cut short
      good + '4', // bytes left over
      '{"o":"a","c":[["global","k","x"]]}\n123', // a length that is not a number
      '{"o":"a","c":[["global","k",1.5]]}\n12',
      '{"o":"a","c":[["global",1,3]]}\n123',
      '{"o":"a","c":"x"}\n',
      '{"o":"a","c":[["global","k",3]]}', // the old form with a length instead of a value
    ]) {
      expect(decodeChange(raw), raw).toBeUndefined();
    }
  });
});
