// Message catalogue language rules, as Node-RED 4.1.15's i18n answers them (checked against it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCatalogReader, isAcceptableLang } from '../../src/registry/node-catalog.js';

let dir: string;
const files = () => ({ dir, file: 'probe.json' });
const write = async (lang: string, body: string) => {
  await fs.mkdir(path.join(dir, lang), { recursive: true });
  await fs.writeFile(path.join(dir, lang, 'probe.json'), body);
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-catalog-'));
  await write('en-US', JSON.stringify({ p: { x: 'x en', y: 'y en', empty: 'filled en' }, n_plural: 'many', m_plural: 'm', m_other: 'kept' }));
  await write('de', '\uFEFF' + JSON.stringify({ p: { x: 'x de', empty: '' } }));
  await write('de-AT', JSON.stringify({ p: { x: 'x at' }, at: 1 }));
  await write('bad', '{ not json');
});
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('catalogue bundles', () => {
  const reader = createCatalogReader();

  it('completes a language from en-US (empty values too) and migrates plural keys', async () => {
    expect(await reader.bundle(files(), 'de')).toEqual({ p: { x: 'x de', y: 'y en', empty: 'filled en' }, n_other: 'many', m_other: 'kept' });
    expect(await reader.bundle(files(), 'en-US')).toEqual({ p: { x: 'x en', y: 'y en', empty: 'filled en' }, n_other: 'many', m_other: 'kept' });
  });

  it('completes a regional file from its base language and en-US', async () => {
    expect(await reader.bundle(files(), 'de-AT')).toEqual({ p: { x: 'x at', y: 'y en', empty: 'filled en' }, at: 1, n_other: 'many', m_other: 'kept' });
  });

  it("gives a region without a file its base language's catalogue", async () => {
    const de = await reader.bundle(files(), 'de');
    expect(await reader.bundle(files(), 'de-DE')).toEqual(de);
    expect(await reader.bundle(files(), 'de-CH-x')).toEqual(de);
    expect(await reader.bundle(files(), 'de-419')).toEqual(de);
  });

  it('has nothing for a language without a file, not even en-US', async () => {
    for (const l of ['en', 'fr', 'xx', '', '*', 'DE', 'bad']) expect(await reader.bundle(files(), l)).toBeUndefined();
  });

  it('has nothing for a code not written as i18next stores it', async () => {
    expect(await reader.bundle(files(), 'de-at')).toBeUndefined();
    expect(await reader.bundle(files(), 'en-us')).toBeUndefined();
  });

  it('the /locales lookup falls back to the base of a two-part code', async () => {
    expect(await reader.forLocales(files(), 'de-at')).toEqual(await reader.bundle(files(), 'de'));
    expect(await reader.forLocales(files(), 'EN-us')).toBeUndefined();
    expect(await reader.forLocales(files(), 'fr')).toBeUndefined();
  });

  it('never hands out its cached objects', async () => {
    const a = (await reader.bundle(files(), 'de')) as { p: { x: string } };
    a.p.x = 'changed';
    expect(((await reader.bundle(files(), 'de')) as { p: { x: string } }).p.x).toBe('x de');
  });
});

describe('isAcceptableLang', () => {
  it("accepts Node-RED's characters only", () => {
    for (const l of ['en-US', 'de', '*', 'x=1', 'zh-Hant-TW']) expect(isAcceptableLang(l)).toBe(true);
    for (const l of ['en_US', 'de;q=0.9', '../x', 'de,fr', 'a b']) expect(isAcceptableLang(l)).toBe(false);
  });
});
