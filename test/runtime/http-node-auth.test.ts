import { describe, it, expect } from 'vitest';
import { parseBasicAuth, httpNodeAuthHandlers } from '../../src/runtime/http-node-auth.js';

describe('httpNodeAuth helpers', () => {
  it('decodes Basic credentials like the basic-auth package', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(parseBasicAuth('Basic ' + b64('u:p:q'))).toEqual({ name: 'u', pass: 'p:q' });
    expect(parseBasicAuth('  bAsIc   ' + b64(':') + '  ')).toEqual({ name: '', pass: '' });
    expect(parseBasicAuth('Basic ' + b64('nocolon'))).toBeUndefined();
    expect(parseBasicAuth('Bearer abc')).toBeUndefined();
    expect(parseBasicAuth(undefined)).toBeUndefined();
  });

  it('turns each setting shape into middleware', () => {
    const mw = () => undefined;
    expect(httpNodeAuthHandlers(undefined)).toEqual([]);
    expect(httpNodeAuthHandlers(mw)).toEqual([mw]);
    expect(httpNodeAuthHandlers([mw, [mw]] as never)).toEqual([mw, mw]);
    expect(httpNodeAuthHandlers({ user: 'u', pass: 'x'.repeat(60) })).toHaveLength(1);
    expect(httpNodeAuthHandlers({ user: 'u' })).toEqual([]);
  });
});
