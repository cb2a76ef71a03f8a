/**
 * Two app instances on one Redis, on one clock the test moves: only the lease holder pushes,
 * both answer, and when the holder dies (no release, its sender hung mid-send) the other
 * takes over within one lease period and sends what was queued, once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { SendOutcome, Target } from '../../src/core/adapter.js';
import type { Reply } from '../../src/core/reply.js';
import { movableClock } from '../helpers/movable-clock.js';

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) console.warn('two replicas: REDIS_URL is unset, skipped (CI sets it)');
const TTL = 15_000;
const apps: App[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!redisUrl)('two replicas on one Redis', () => {
  it('only the holder sends; a dead holder is replaced within one period and nothing is lost or doubled', async () => {
    const clock = movableClock(Date.now());
    const prefix = `two-replicas-${process.pid}-${Date.now()}:`;
    const delivered: string[] = [];
    const replica = async (name: string) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-replica-'));
      dirs.push(dataDir);
      const config = loadConfig({ DATA_DIR: dataDir, STORE_URL: redisUrl, LOG_LEVEL: 'silent', LEASE_TTL_MS: String(TTL), ALERT_CHECK_SECONDS: '3600' });
      const app = await createApp(config, { now: clock.now, log: pino({ level: 'silent' }), replicaId: name, storePrefix: prefix, leaseTimer: false });
      apps.push(app);
      let hung = false;
      app.connect({
        platform: 'telegram',
        start: async () => undefined,
        stop: async () => undefined,
        send: (target: Target, reply: Reply): Promise<SendOutcome> => {
          if (hung) return new Promise(() => undefined); // killed mid-send: no answer ever
          delivered.push(`${name}:${reply.blocks.map((block) => ('text' in block ? block.text : '')).join('')}`);
          return Promise.resolve({ status: 'sent' });
        },
      });
      return { app, hang: () => (hung = true) };
    };
    const a = await replica('a');
    const b = await replica('b');
    await a.app.start();
    await b.app.start();
    expect(a.app.lease?.leading).toBe(true);
    expect(b.app.lease?.leading).toBe(false);

    const target: Target = { platform: 'telegram', chatId: '42', kind: 'private' };
    const text = (n: number): Reply => ({ blocks: [{ kind: 'text', text: `m${n}` }] }) as unknown as Reply;
    // A replica without the lease refuses to push (its feature keeps the item pending).
    expect(b.app.services.push!.enqueue(target, text(0), { owner: 'test', id: '0' }).status).toBe('refused');
    expect(a.app.services.push!.enqueue(target, text(1), { owner: 'test', id: '1' }).status).toBe('queued');
    await a.app.outbox.whenIdle();
    expect(delivered).toEqual(['a:m1']);

    // a dies: its sends hang, it never renews or releases; what it queued is in the store.
    a.hang();
    a.app.outbox.enqueue(target, text(2), { owner: 'test', id: '2' });
    a.app.outbox.enqueue(target, text(3), { owner: 'test', id: '3' });
    await a.app.outbox.flush();
    a.app.lease!.abandon();

    let waited = 0;
    while (!b.app.lease!.leading) {
      clock.set(clock.now() + TTL / 4);
      waited += TTL / 4;
      await b.app.lease!.step();
    }
    expect(waited).toBeLessThanOrEqual(TTL);
    await b.app.outbox.whenIdle();
    // m2 was on the wire at a's death with no answer: at least once means b sends it again.
    expect(delivered).toEqual(['a:m1', 'b:m2', 'b:m3']);
    // a wakes up as a zombie: its lane may not send any more.
    expect(a.app.lease!.leading).toBe(true); // it never noticed...
    expect(b.app.services.push!.enqueue(target, text(4), { owner: 'test', id: '4' }).status).toBe('queued');
    await b.app.outbox.whenIdle();
    expect(delivered.filter((line) => line.startsWith('a:'))).toEqual(['a:m1']);
  }, 30_000);
});
