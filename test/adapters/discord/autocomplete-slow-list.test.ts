/**
 * Autocomplete through discord.js against the fake Discord when the market list is slow:
 * the first suggestion must not wait for the list. The load waits on a gate the test opens,
 * so "answered before the list loaded" is checked as an order, not as elapsed milliseconds.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { gate } from '../../helpers/gate.js';
import { answered, ASSETS, callbacks, fakeServices, settled, startHarness, type Harness } from './helpers.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const choiceNames = (choices: { name: string }[] | undefined): string[] => (choices ?? []).map((choice) => choice.name);

describe('autocomplete with a slow market list', () => {
  test('a slow market list still gets an answer in time (empty), and the list is used once loaded', async () => {
    let loads = 0;
    let loaded = false;
    const slowList = gate();
    const services = fakeServices({
      knownAssets: async () => {
        loads += 1;
        await slowList.wait;
        loaded = true;
        return ASSETS;
      },
    });
    harness = await startHarness({ services, autocompleteDeadlineMs: 300 });
    const { fake } = harness;
    const early = fake.autocomplete('basis', { asset: 'e' }, 'asset');
    await answered(fake, early);
    // Answered while the list was still loading: the deadline, not the load, sent it.
    expect(loaded).toBe(false);
    expect(callbacks(fake, early)[0].status).toBe(204);
    expect(fake.interactions.get(early.id)!.choices).toEqual([]);

    slowList.open();
    await settled(fake, () => loaded);
    const later = fake.autocomplete('basis', { asset: 'e' }, 'asset');
    await answered(fake, later);
    const startsWithE = ASSETS.filter((asset) => asset.startsWith('E'));
    expect(choiceNames(fake.interactions.get(later.id)!.choices)).toEqual([...startsWithE, ...ASSETS.filter((asset) => asset.includes('E') && !startsWithE.includes(asset))]);
    expect(startsWithE).toEqual(['ETH', 'ETC']);
    expect(loads).toBe(1);
  });
});
