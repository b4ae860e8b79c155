// Test helpers for the storage tests: temp userDirs (removed after each test) and a logger that keeps its lines.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { createLogger, type Logger } from '../../src/runtime/logger.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crimson-storage-'));
  dirs.push(dir);
  return dir;
}

export interface CapturingLogger extends Logger {
  lines: string[];
}

export function capturingLogger(): CapturingLogger {
  const lines: string[] = [];
  const logger = createLogger({ logging: { console: { level: 'debug' } }, write: (l) => lines.push(l) });
  return Object.assign(logger, { lines });
}

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
