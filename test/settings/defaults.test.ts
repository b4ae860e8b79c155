import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultSettings, FALLBACKS } from '../../src/settings/defaults.js';
import { loadSettings } from '../../src/settings/load.js';
import { validateSettings } from '../../src/settings/validate.js';

// Node-RED 4.1.15 is a devDependency: its own default settings file
const NODE_RED_SETTINGS = createRequire(import.meta.url).resolve('node-red/settings.js');

describe('defaultSettings', () => {
  it('is a fresh, valid object each time', () => {
    const a = defaultSettings();
    (a.diagnostics as { enabled: boolean }).enabled = false;
    expect(defaultSettings().diagnostics).toEqual({ enabled: true, ui: true });
    expect(() => validateSettings(a)).not.toThrow();
  });

  it("has the active keys of Node-RED's default settings.js (uiPort aside: resolve fills it)", () => {
    const saved = process.env.PORT;
    delete process.env.PORT;
    try {
      const nodeRed = createRequire(import.meta.url)(NODE_RED_SETTINGS) as Record<string, unknown>;
      const { uiPort, ...rest } = nodeRed;
      expect(uiPort).toBe(FALLBACKS.uiPort);
      expect(defaultSettings()).toEqual(rest);
    } finally {
      if (saved !== undefined) process.env.PORT = saved;
    }
  });

  it('settings.example.ts loads, validates, and shows the defaults as its active values', async () => {
    const file = fileURLToPath(new URL('../../settings.example.ts', import.meta.url));
    const { settings } = await loadSettings({ settingsFile: file, userDir: '/nonexistent' });
    expect(() => validateSettings(settings)).not.toThrow();
    expect(settings).toEqual({ ...defaultSettings(), uiPort: FALLBACKS.uiPort });
  });
});
