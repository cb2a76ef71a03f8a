import { afterAll, describe, expect, it } from 'vitest';
import { createStoreFactory, type StoreFactory } from '../../src/store/index.js';
import { tempDataDir } from '../helpers/replay-app.js';

// CI starts Redis and sets REDIS_URL (.ci/run); a developer without Redis skips this file.
const url = process.env['REDIS_URL'];

describe.skipIf(!url)('store factory on Redis', () => {
  const factories: StoreFactory[] = [];
  afterAll(async () => Promise.all(factories.map((factory) => factory.close())));

  it('shares values between two factories (two replicas) and lists a namespace', async () => {
    const namespace = `test-${process.pid}-${Date.now()}`;
    const a = createStoreFactory({ dataDir: tempDataDir(), url });
    const b = createStoreFactory({ dataDir: tempDataDir(), url });
    factories.push(a, b);
    await a.open<{ rule: string }>(namespace).set('u1', { rule: 'SOL below -5%' });
    expect(await b.open<{ rule: string }>(namespace).get('u1')).toEqual({ rule: 'SOL below -5%' });
    const listed: string[] = [];
    for await (const [key] of b.open<{ rule: string }>(namespace).entries()) listed.push(key);
    expect(listed).toEqual(['u1']);
    expect(await a.open(namespace).delete('u1')).toBe(true);
  });
});
