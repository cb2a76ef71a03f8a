import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStoreFactory, type StoreFactory } from '../../src/store/index.js';

describe('store factory on SQLite', () => {
  const dirs: string[] = [];
  const factories: StoreFactory[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-store-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(factories.splice(0).map((factory) => factory.close()));
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps values across a reopen (a restart loses nothing) and separates namespaces', async () => {
    const dataDir = tempDir();
    const first = createStoreFactory({ dataDir });
    await first.open<{ n: number }>('alerts').set('u1', { n: 1 });
    await first.open<{ n: number }>('digests').set('u1', { n: 2 });
    await first.close();

    const second = createStoreFactory({ dataDir });
    factories.push(second);
    const alerts = second.open<{ n: number }>('alerts');
    expect(await alerts.get('u1')).toEqual({ n: 1 });
    expect(await second.open<{ n: number }>('digests').get('u1')).toEqual({ n: 2 });
    const listed: [string, { n: number }][] = [];
    for await (const entry of alerts.entries()) listed.push(entry);
    expect(listed).toEqual([['u1', { n: 1 }]]);
    expect(fs.existsSync(path.join(dataDir, 'basisbot.sqlite'))).toBe(true);
  });

  it('deletes and expires entries', async () => {
    const factory = createStoreFactory({ dataDir: tempDir() });
    factories.push(factory);
    const store = factory.open<string>('ttl');
    await store.set('gone', 'x', 1);
    await store.set('kept', 'y');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.get('gone')).toBeUndefined();
    expect(await store.delete('kept')).toBe(true);
    expect(await store.get('kept')).toBeUndefined();
  });
});
