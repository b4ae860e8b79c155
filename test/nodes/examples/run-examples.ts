// Shared by the example tests: one Crimson (with the settings the recording server had) runs the examples of
// some folders one after the other, each compared with what Node-RED 4.1.15 sent for it (recorded/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../../helpers/start-crimson.js';
import type { Settings } from '../../../src/settings/types.js';
import { diffResults, EXAMPLE_SETTINGS, listExamples, loadFixture, runExample } from './harness.js';

export function runExamplesOf(folders: string[]): void {
  const examples = listExamples().filter((ex) => folders.some((f) => ex.startsWith(f + '/')));
  describe(`Node-RED's example flows (${folders.join(', ')})`, () => {
    let c: Started;
    beforeAll(async () => { c = await startCrimson({ settings: { ...EXAMPLE_SETTINGS } as Settings }); });
    afterAll(async () => { await c?.stop(); });

    it('has a recording for each', () => {
      expect(examples.length).toBeGreaterThan(0);
      for (const ex of examples) expect(loadFixture(ex).skip).toBeUndefined();
    });
    for (const ex of examples) {
      it(ex, async () => {
        expect(diffResults(loadFixture(ex), await runExample(c.url, ex))).toEqual([]);
      }, 20_000);
    }
  });
}
