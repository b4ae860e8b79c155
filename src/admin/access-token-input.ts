// The body of POST /auth/tokens checked: {name, scope, expiresIn? | expiresAt?} to what the token store
// takes, or a 400 invalid_request CodedError saying what is wrong. Pure; `now` is passed in.
import { apiError } from '../errors.js';
import type { Permission } from '../settings/types.js';

export interface TokenRequest {
  name: string;
  scope: Permission;
  /** Epoch milliseconds; absent: the token never expires. */
  expires?: number;
}

export const MAX_NAME_LENGTH = 100;
export const MAX_SCOPE_ENTRIES = 50;
const MAX_PERMISSION_LENGTH = 100;
/** The last millisecond of year 9999: an expiry past it has no 4-digit-year ISO form. */
const LAST_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** Printable, no blanks: `*`, `read`, `flows.read`, a node package's own (`dashboard.write`). */
const PERMISSION = /^[\x21-\x7e]+$/;
/** A date (taken as UTC midnight), or a date-time with a time zone. */
const ISO_DATE =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$/;

const bad = (message: string) => apiError('invalid_request', message);

const SCOPE_MESSAGE =
  `scope must be "*", "read", one permission such as "flows.read", or an array of 1 to ${MAX_SCOPE_ENTRIES} permissions`;

function isPermission(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_PERMISSION_LENGTH && PERMISSION.test(v);
}

function parseScope(v: unknown): Permission {
  if (isPermission(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.length <= MAX_SCOPE_ENTRIES && v.every(isPermission)) return [...new Set(v)];
  throw bad(SCOPE_MESSAGE);
}

function parseName(v: unknown): string {
  const name = typeof v === 'string' ? v.trim() : '';
  if (!name || name.length > MAX_NAME_LENGTH || /[\x00-\x1f\x7f]/.test(name)) {
    throw bad(`name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters, without control characters`);
  }
  return name;
}

/** expiresIn: whole seconds (a number, or digits from a form). */
function fromExpiresIn(v: unknown, now: number): number {
  const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw bad('expiresIn must be a whole number of seconds, at least 1');
  const at = now + n * 1000;
  if (at > LAST_DATE) throw bad('expiresIn is too large: the token would expire after the year 9999');
  return at;
}

/** True when the string's YYYY-MM-DD is a day of the calendar (Date.parse rolls 2027-02-30 over to March). */
function realDay(iso: string): boolean {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

function fromExpiresAt(v: unknown, now: number): number {
  const at = typeof v === 'string' && ISO_DATE.test(v) && realDay(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(at)) {
    throw bad('expiresAt must be an ISO 8601 date ("2027-01-31") or date-time with a time zone ("2027-01-31T12:00:00Z")');
  }
  if (at <= now) throw bad('expiresAt must be in the future');
  if (at > LAST_DATE) throw bad('expiresAt must be no later than the year 9999');
  return at;
}

/** The checked request, or throws a 400 invalid_request CodedError. */
export function parseTokenRequest(body: unknown, now: number): TokenRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('The request body must be a JSON object');
  const b = body as Record<string, unknown>;
  const name = parseName(b.name);
  if (b.scope === undefined || b.scope === null) throw bad(`scope is required: ${SCOPE_MESSAGE}`);
  const scope = parseScope(b.scope);
  const hasIn = b.expiresIn !== undefined && b.expiresIn !== null;
  const hasAt = b.expiresAt !== undefined && b.expiresAt !== null;
  if (hasIn && hasAt) throw bad('Give expiresIn or expiresAt, not both');
  const request: TokenRequest = { name, scope };
  if (hasIn) request.expires = fromExpiresIn(b.expiresIn, now);
  if (hasAt) request.expires = fromExpiresAt(b.expiresAt, now);
  return request;
}
