// Where each userDir file lives, named as Node-RED names them (flows file, `<base>_cred<ext>`, dot-backups,
// .config.*.json, .sessions.json), plus Crimson's commit journal and access tokens (.tokens.json).
import path from 'node:path';

export interface StorageLayout {
  userDir: string;
  flows: string;
  flowsBackup: string;
  credentials: string;
  credentialsBackup: string;
  /** Present only while a flows + credentials commit is being applied. */
  commitJournal: string;
  runtimeConfig: string;
  users: string;
  nodes: string;
  sessions: string;
  /** Crimson only: the personal access tokens (hashes), beside the sessions. */
  accessTokens: string;
}

/** `.<name>.backup` next to the file, as Node-RED names backups. */
export function backupPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.backup`);
}

/**
 * `flowFile` may be absolute or relative to the userDir. The credentials file always sits in the userDir,
 * named after the flows file (`flows.json` -> `flows_cred.json`), as in Node-RED.
 */
export function resolveLayout(userDir: string, flowFile = 'flows.json'): StorageLayout {
  const dir = path.resolve(userDir);
  const flows = path.resolve(dir, flowFile);
  const ext = path.extname(flows);
  const credentials = path.join(dir, `${path.basename(flows, ext)}_cred${ext}`);
  return {
    userDir: dir,
    flows,
    flowsBackup: backupPathFor(flows),
    credentials,
    credentialsBackup: backupPathFor(credentials),
    commitJournal: path.join(dir, '.crimson-commit.json'),
    runtimeConfig: path.join(dir, '.config.runtime.json'),
    users: path.join(dir, '.config.users.json'),
    nodes: path.join(dir, '.config.nodes.json'),
    sessions: path.join(dir, '.sessions.json'),
    accessTokens: path.join(dir, '.tokens.json'),
  };
}
