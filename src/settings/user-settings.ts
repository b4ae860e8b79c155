// The editor users' settings (.config.users.json), held in memory once read at start: GET / POST
// /settings/user and RED.settings.getUserSettings / setUserSettings (synchronous reads, as node modules
// make them in Node-RED) share this one copy, and every change is written through to the storage.
import type { FlowStorage } from '../runtime/types.js';

type Users = Record<string, Record<string, unknown>>;

export interface UserSettingsStore {
  load(): Promise<void>;
  /** A copy of one user's settings (undefined when none). */
  get(username: string): Record<string, unknown> | undefined;
  /** Replaces one user's settings and saves them all. */
  set(username: string, value: Record<string, unknown>): Promise<void>;
  /** Reads them again (another instance of a cluster changed them); a user's settings set here since are kept. */
  reload(): Promise<void>;
}

export function createUserSettingsStore(storage: Pick<FlowStorage, 'getUserSettings' | 'saveUserSettings'>): UserSettingsStore {
  let users: Users = {};
  let writes: Promise<unknown> = Promise.resolve();
  let generation = 0;
  const setAt = new Map<string, number>();
  return {
    async load() {
      users = (await storage.getUserSettings()) ?? {};
    },
    get(username) {
      const v = users[username];
      return v === undefined ? undefined : structuredClone(v);
    },
    async reload() {
      const since = generation;
      const stored = (await storage.getUserSettings()) ?? {};
      const next: Users = { ...stored };
      for (const [name, at] of setAt) if (at > since && users[name] !== undefined) next[name] = users[name]!;
      users = next;
    },
    set(username, value) {
      setAt.set(username, ++generation);
      users = { ...users, [username]: structuredClone(value) };
      const snapshot = users;
      // one write after another, each of the whole table as it was then
      const done = writes.then(() => storage.saveUserSettings(snapshot));
      writes = done.catch(() => undefined);
      return done;
    },
  };
}
