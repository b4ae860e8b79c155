// The command line: node-red's flags, parsed with util.parseArgs into a typed object. Long options may
// be abbreviated to a unique prefix (as node-red allows); unknown options and bad values are errors.
import { parseArgs } from 'node:util';
import { parseDefine, type Define } from '../settings/define.js';

export interface CliArgs {
  help: boolean;
  version: boolean;
  verbose: boolean;
  safe: boolean;
  noTelemetry: boolean;
  port?: number;
  userDir?: string;
  settingsFile?: string;
  title?: string;
  /** -D overrides in command-line order. */
  define: Define[];
  /** The positional flows file. */
  flowFile?: string;
}

/** Bad command-line input; its message is meant to be printed as is. */
export class CliError extends Error {
  override name = 'CliError';
}

const OPTIONS = {
  port: { type: 'string', short: 'p' },
  userDir: { type: 'string', short: 'u' },
  settings: { type: 'string', short: 's' },
  define: { type: 'string', short: 'D', multiple: true },
  title: { type: 'string' },
  safe: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  version: { type: 'boolean' },
  'no-telemetry': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  // node-red's other spellings of help: -? and -t (-t is reserved there, so it shows help).
  'help?': { type: 'boolean', short: '?' },
  'help-t': { type: 'boolean', short: 't' },
} as const;

const LONG_NAMES = ['port', 'userDir', 'settings', 'define', 'title', 'safe', 'verbose', 'version', 'no-telemetry', 'help'];

/** Rewrites `--user` / `--userdir` to `--userDir`; leaves anything it cannot match for the checks. */
function expandLongName(arg: string): string {
  const eq = arg.indexOf('=');
  const name = arg.slice(2, eq < 0 ? undefined : eq);
  const rest = eq < 0 ? '' : arg.slice(eq);
  if (LONG_NAMES.includes(name)) return arg;
  const lower = name.toLowerCase();
  const exact = LONG_NAMES.find((n) => n.toLowerCase() === lower);
  if (exact) return `--${exact}${rest}`;
  const matches = LONG_NAMES.filter((n) => n.toLowerCase().startsWith(lower));
  if (matches.length === 1) return `--${matches[0]}${rest}`;
  if (matches.length > 1 && name) throw new CliError(`Ambiguous option '--${name}': could be ${matches.map((m) => '--' + m).join(', ')}`);
  return arg;
}

function normalise(argv: string[]): string[] {
  const out: string[] = [];
  let ended = false;
  for (const arg of argv) {
    if (ended) out.push(arg);
    else if (arg === '--') { ended = true; out.push(arg); }
    else out.push(arg.startsWith('--') && arg.length > 2 ? expandLongName(arg) : arg);
  }
  return out;
}

function parsePortArg(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new CliError(`Invalid port '${value}': expected a number from 0 to 65535`);
  return Number(value);
}

export function parseCliArgs(argv: string[]): CliArgs {
  const { tokens } = parseArgs({ args: normalise(argv), options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const args: CliArgs = { help: false, version: false, verbose: false, safe: false, noTelemetry: false, define: [] };
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') { positionals.push(token.value); continue; }
    if (token.kind !== 'option') continue;
    const { name, rawName } = token;
    const spec = (OPTIONS as Record<string, { type: 'string' | 'boolean' }>)[name];
    if (!spec) throw new CliError(`Unknown option '${rawName}'`);
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new CliError(`Option '${rawName}' does not take a value`);
    } else if (token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new CliError(`Option '${rawName}' needs a value`);
    }
    const value = token.value ?? '';
    switch (name) {
      case 'port': args.port = parsePortArg(value); break;
      case 'userDir': args.userDir = value; break;
      case 'settings': args.settingsFile = value; break;
      case 'title': args.title = value; break;
      case 'define':
        try { args.define.push(parseDefine(value)); } catch (err) { throw new CliError((err as Error).message); }
        break;
      case 'safe': args.safe = true; break;
      case 'verbose': args.verbose = true; break;
      case 'version': args.version = true; break;
      case 'no-telemetry': args.noTelemetry = true; break;
      default: args.help = true; // help, -?, -t
    }
  }
  if (positionals[0] === 'admin' && !args.help) {
    throw new CliError("Crimson has no 'admin' command: run node-red-admin against Crimson's admin API instead");
  }
  if (positionals.length > 1) throw new CliError(`Unexpected argument '${positionals[1]}': only one flows file may be given`);
  if (positionals[0] !== undefined) args.flowFile = positionals[0];
  return args;
}
