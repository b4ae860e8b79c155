// The last error handler of the root app: an error no router answered (an http in body parser, a node's own
// route) gets Express's production error page (status text only) and its detail goes to the runtime log,
// not to stderr as Express's default handler writes it.
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from './logger.js';

const validStatus = (v: unknown): v is number => typeof v === 'number' && v >= 400 && v < 600;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(message: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>${escapeHtml(message)}</pre>\n</body>\n</html>\n`;
}

function write(req: Request, res: Response, status: number, headers: Record<string, unknown> | undefined): void {
  const body = page(STATUS_CODES[status] ?? String(status));
  res.statusCode = status;
  res.removeHeader('Content-Encoding');
  res.removeHeader('Content-Language');
  res.removeHeader('Content-Range');
  for (const [k, v] of Object.entries(headers ?? {})) {
    try { res.setHeader(k, v as string); } catch { /* an invalid header from the error is left out */ }
  }
  res.setHeader('Content-Security-Policy', "default-src 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'));
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function lastErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = (err ?? {}) as { status?: unknown; statusCode?: unknown; headers?: unknown; message?: unknown };
    const fromError = validStatus(e.status) ? e.status : validStatus(e.statusCode) ? e.statusCode : undefined;
    const status = fromError ?? (validStatus(res.statusCode) ? res.statusCode : 500);
    if (status >= 500) logger.error(err);
    else logger.debug(`${req.method} ${req.originalUrl}: ${typeof e.message === 'string' ? e.message : String(err)}`);
    if (res.headersSent) {
      req.socket?.destroy();
      return;
    }
    const headers = fromError !== undefined && e.headers && typeof e.headers === 'object' ? (e.headers as Record<string, unknown>) : undefined;
    if (req.complete || req.readableEnded) {
      write(req, res, status, headers);
      return;
    }
    // answer once the rest of the request body has been read (and dropped), as Express does
    let answered = false;
    const answer = () => { if (!answered) { answered = true; write(req, res, status, headers); } };
    req.unpipe();
    req.once('end', answer);
    req.once('close', answer);
    req.resume();
  };
}
