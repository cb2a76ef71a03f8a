/**
 * One long-poller per bot token across replicas: the claim in the shared store (real Redis
 * when REDIS_URL is set, else real SQLite), on a clock the test moves, and the adapter
 * refusing to poll without it, with the message an operator needs (webhook mode).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { storePollClaim, PollClaimedElsewhere, type PollClaim } from '../../../src/adapters/telegram/poll-claim.js';
import type { TelegramAdapter } from '../../../src/adapters/telegram/adapter.js';
import { Lease, type LeaseRecord } from '../../../src/lease/lease.js';
import { createStoreFactory, type AtomicStoreFactory } from '../../../src/store/index.js';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-api.js';
import { adapterFor, captureLogger } from './helpers.js';

const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) console.warn('poll-claim: REDIS_URL is unset, so the claim runs on SQLite only (CI sets it)');
const TTL = 15_000;
const dirs: string[] = [];
const factories: AtomicStoreFactory[] = [];
const claims: PollClaim[] = [];
afterAll(async () => {
  await Promise.all(factories.map((factory) => factory.close()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const claim of claims.splice(0)) await claim.release();
});

function setUp() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'basisbot-poll-claim-'));
  dirs.push(dataDir);
  const prefix = `poll-claim-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}:`;
  const factory = createStoreFactory({ dataDir, url: redisUrl, prefix });
  factories.push(factory);
  const store = factory.open<LeaseRecord>('telegram-poll');
  let t = 5_000_000;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const silent = { info: () => undefined, error: () => undefined };
  const claim = (holder: string, sleep: (ms: number) => Promise<void>) => {
    const made = storePollClaim({ store, holder, ttlMs: TTL, now: clock.now, log: silent, sleep });
    claims.push(made);
    return made;
  };
  /** A replica polling right now, renewing whenever time passes. */
  const livePoller = new Lease({ store, name: 'telegram-poll', holder: 'replica-a', ttlMs: TTL, now: clock.now });
  return { clock, claim, livePoller };
}

describe('Telegram long-polling claim', () => {
  it('refuses a second poller while the first is alive, naming it and asking for webhook mode', async () => {
    const { clock, claim, livePoller } = setUp();
    expect(await livePoller.acquireOrRenew()).toBe(true);
    let sleeps = 0;
    const second = claim('replica-b', async (ms) => {
      sleeps += 1;
      clock.advance(ms);
      await livePoller.acquireOrRenew();
    });
    const refused = await second.take().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(PollClaimedElsewhere);
    expect(String(refused)).toMatch(/replica replica-a is already long-polling/);
    expect(String(refused)).toMatch(/TELEGRAM_WEBHOOK_URL/);
    // It waited a full TTL for the holder to lapse before giving up: a live holder does not.
    expect(sleeps).toBeGreaterThanOrEqual(4);
  });

  it('takes over from a poller that died once its claim lapses', async () => {
    const { clock, claim, livePoller } = setUp();
    expect(await livePoller.acquireOrRenew()).toBe(true);
    const restarted = claim('replica-a-restarted', async (ms) => void clock.advance(ms));
    await restarted.take();
    expect(await livePoller.read()).toMatchObject({ holder: 'replica-a-restarted' });
  });

  it('lets the next poller start at once after a release', async () => {
    const { claim } = setUp();
    const noWait = async () => {
      throw new Error('must not wait');
    };
    const first = claim('replica-a', noWait);
    await first.take();
    await first.release();
    await claim('replica-b', noWait).take();
  });
});

describe('Telegram adapter with a claim held elsewhere', () => {
  let telegram: FakeTelegram | undefined;
  let adapter: TelegramAdapter | undefined;
  afterEach(async () => {
    await adapter?.stop();
    await telegram?.close();
  });

  it('does not poll, and start() says webhook mode is required', async () => {
    telegram = await startFakeTelegram();
    const { log } = captureLogger();
    const claimedElsewhere: PollClaim = {
      take: async () => {
        throw new PollClaimedElsewhere('replica other:1 is already long-polling this bot token; with more than one replica, Telegram needs webhook mode: set TELEGRAM_WEBHOOK_URL');
      },
      release: async () => undefined,
    };
    adapter = adapterFor(telegram, log, { pollClaim: claimedElsewhere });
    await expect(adapter.start()).rejects.toThrow(/webhook mode.*TELEGRAM_WEBHOOK_URL/);
    const methods = telegram.calls.map((call) => call.method);
    expect(methods).not.toContain('getUpdates');
    expect(methods).not.toContain('deleteWebhook');
  });
});
