import { describe, it, expect } from 'vitest';
import { bodyKindOf, stripProtoKeys } from '../../../src/nodes/http/body-parsers.js';

describe('bodyKindOf (how Node-RED reads a body by content type)', () => {
  it.each([
    ['text/plain', 'text'], ['Text/HTML; charset=latin1', 'text'], ['application/xml', 'text'], ['image/svg+xml', 'text'],
    ['application/foo', 'text'], ['application/vnd.api+json', 'text'], ['application/octet-stream+xml', 'text'],
    ['application/octet-stream', 'binary'], ['application/cbor', 'binary'], ['application/x-protobuf', 'binary'],
    ['image/png', 'binary'], ['a/b+json', 'binary'], ['multipart/form-data; boundary=x', 'binary'],
    ['text/plain;charset="utf-8"', 'text'], ['text/plain ; a=b ; c="d e"', 'text'],
  ])('%s -> %s', (header, kind) => {
    expect(bodyKindOf(header)).toBe(kind);
  });

  it.each([
    ['foo', 'invalid media type'], ['*/*', 'invalid media type'], ['.a/b', 'invalid media type'],
    ['text/plain; charset', 'invalid parameter format'], ['text/plain;', 'invalid parameter format'],
  ])('%s throws %s', (header, message) => {
    expect(() => bodyKindOf(header)).toThrow(new TypeError(message));
  });
});

describe('stripProtoKeys', () => {
  it('removes own __proto__ keys at any depth and keeps everything else', () => {
    const v = JSON.parse('{"a":{"__proto__":{"x":1},"constructor":"c"},"l":[{"__proto__":1}],"__proto__":2}');
    stripProtoKeys(v);
    expect(v).toEqual({ a: { constructor: 'c' }, l: [{}] });
    expect(Object.hasOwn(v, '__proto__')).toBe(false);
    expect(Object.hasOwn(v.a, '__proto__')).toBe(false);
  });
});
