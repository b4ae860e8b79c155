// The catalogue of coded errors the admin API answers with: {code, message} plus an HTTP status.
export class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

// Node-RED creates several errors without text; their message then serialises as "Error" (COMPAT A0.7).
const catalogue = {
  invalid_api_version: { status: 400, message: 'Invalid API Version requested' },
  invalid_request: { status: 400, message: 'Invalid request' },
  version_mismatch: { status: 409, message: 'Error' },
  not_found: { status: 404, message: 'Error' },
  unexpected_error: { status: 400, message: 'Error' },
  type_in_use: { status: 400, message: 'Type in use' },
  module_already_loaded: { status: 400, message: 'Module already loaded' },
  invalid_run_state: { status: 400, message: 'Invalid run state' },
  settings_unavailable: { status: 400, message: 'Settings unavailable' },
  forbidden: { status: 403, message: 'Error' },
  // Crimson's: an instance of a cluster that cannot reach Redis
  cluster_unavailable: { status: 503, message: 'The cluster store (Redis) cannot be reached' },
  // the palette installer's (COMPAT A3.8); '404' answers as the number 404 (Node-RED's quirk, see toErrorBody)
  '404': { status: 404, message: 'Module not found' },
  invalid_module: { status: 400, message: 'Invalid Node-RED module' },
  invalid_module_name: { status: 400, message: 'Invalid module name' },
  invalid_module_url: { status: 400, message: 'Invalid url' },
  install_not_allowed: { status: 400, message: 'Install not allowed' },
  update_not_allowed: { status: 400, message: 'Update not allowed' },
  TAR_BAD_ARCHIVE: { status: 400, message: 'TAR_BAD_ARCHIVE: Unrecognized archive format' },
  'diagnostics.disabled': { status: 403, message: 'diagnostics are disabled' },
} as const;

export type ErrorCode = keyof typeof catalogue;

/** Creates a coded error; `message` overrides the catalogue text, `status` its status. */
export function apiError(code: ErrorCode, message?: string, status?: number): CodedError {
  const entry = catalogue[code];
  return new CodedError(code, message ?? entry.message, status ?? entry.status);
}

/** The {code, message} body and status for any thrown value, never leaking a stack or path. */
export function toErrorBody(err: unknown): { status: number; body: { code: string | number; message: string } } {
  if (err instanceof CodedError) return { status: err.status, body: { code: numericCode(err.code), message: err.message } };
  const message = err instanceof Error ? err.message || 'Error' : String(err);
  return { status: 400, body: { code: 'unexpected_error', message: stripPaths(message) } };
}

/** Node-RED answers a few errors with a numeric code (`{"code":404,…}` from the installer): all-digit codes go out as numbers. */
function numericCode(code: string): string | number {
  return /^\d+$/.test(code) ? Number(code) : code;
}

/** Removes absolute file paths from a message that is about to leave the process. */
export function stripPaths(message: string): string {
  return message.replace(/(?:file:\/\/)?(?:\/[\w.@+-]+){2,}/g, '<path>');
}
