// The runtime's HTTP server, as Node-RED's red.js makes it: https when settings.https gives TLS options
// (an object, or a function returning them or a Promise of them), http otherwise; with
// httpsRefreshInterval (hours, default 12, at most 596) a function's options are asked for again and
// put in place when the key or certificate changed.
import http from 'node:http';
import https from 'node:https';
import type { RequestListener } from 'node:http';
import type { Settings } from '../settings/types.js';
import type { Logger } from './logger.js';
import type { ServerObjects } from './http-objects.js';

export interface RuntimeServer {
  server: http.Server;
  secure: boolean;
  /** Resolves the TLS options of an asynchronous https function (before listening). */
  ready(): Promise<void>;
  /** Starts the refresh timer (after listening) and logs what it does. */
  startRefresh(): void;
  stopRefresh(): void;
}

type TlsOptions = https.ServerOptions & { key?: string | Buffer; cert?: string | Buffer };

const sameValue = (a: unknown, b: unknown) =>
  Buffer.isBuffer(a) ? Buffer.isBuffer(b) && a.equals(b) : a === b;

/** `objects`: the classes its requests and responses are made of (Node's own without). */
export function createRuntimeServer(settings: Settings, app: RequestListener, logger: Logger,
  objects?: ServerObjects['options']): RuntimeServer {
  const option = settings.https as unknown;
  let initial: unknown = option;
  if (typeof option === 'function') initial = (option as () => unknown)();
  const pending = initial && typeof (initial as Promise<unknown>).then === 'function' ? (initial as Promise<unknown>) : undefined;
  let current: TlsOptions | undefined = pending ? undefined : (initial as TlsOptions | undefined) || undefined;
  const secure = !!(pending || current);
  const server = (secure ? https.createServer({ ...objects, ...(current ?? {}) }, app)
    : http.createServer({ ...objects }, app)) as unknown as http.Server;
  server.setMaxListeners(0);
  const tls = server as unknown as https.Server;
  let timer: NodeJS.Timeout | undefined;

  return {
    server,
    secure,
    async ready() {
      if (!pending) return;
      const opts = (await pending) as TlsOptions | undefined;
      if (!opts) throw new Error('the https settings function gave no TLS options');
      current = opts;
      tls.setSecureContext(opts);
    },
    startRefresh() {
      if (!secure || !settings.httpsRefreshInterval) return;
      if (typeof option !== 'function') {
        logger.warn('httpsRefreshInterval requires https property to be a function');
        return;
      }
      const hours = Math.min(parseFloat(String(settings.httpsRefreshInterval)) || 12, 596);
      logger.info(`Refreshing https settings every ${hours} hours`);
      timer = setInterval(() => {
        Promise.resolve()
          .then(() => (option as () => unknown)())
          .then((fresh) => {
            const opts = fresh as TlsOptions | undefined;
            if (!opts) return;
            if (current && sameValue(current.key, opts.key) && sameValue(current.cert, opts.cert)) return;
            tls.setSecureContext(opts);
            current = opts;
            logger.info('Server https settings have been refreshed');
          })
          .catch((err: unknown) => logger.error(`Failed to refresh https settings: ${String(err)}`));
      }, hours * 60 * 60 * 1000);
      timer.unref();
    },
    stopRefresh() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
