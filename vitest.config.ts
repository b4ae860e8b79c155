import { defineConfig } from 'vitest/config';

// Generous limits: on a 2-core machine the suite runs Crimson, Node-RED (the oracle of the side-by-side
// tests), brokers and Chromium at once, and the first run installs the npm packages some tests use.
// Tests wait on conditions with their own deadlines; these only stop a test that hangs.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // checks every answer of a test-started Crimson admin API against its OpenAPI document
    setupFiles: ['test/setup/validate-admin-answers.ts'],
    testTimeout: 60000,
    hookTimeout: 240000,
    pool: 'forks',
  },
});
