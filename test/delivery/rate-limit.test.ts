import { describe, expect, it } from 'vitest';
import { SlidingWindow } from '../../src/delivery/rate-limit.js';
import { MinHeap } from '../../src/delivery/min-heap.js';
import { RoundTrips } from '../../src/delivery/round-trips.js';

describe('SlidingWindow', () => {
  it('has room until the limit, counting each send from its start plus the margin', () => {
    const window = new SlidingWindow({ limit: 2, windowMs: 1_000 }, 25);
    expect(window.nextFreeAt(0)).toBe(0);
    window.acquire(0);
    window.acquire(200);
    // Both slots taken, answered or not: the first frees 1,025 ms after it started.
    expect(window.nextFreeAt(10)).toBe(1_025);
    // Answered at 900 after the shortest round trip seen: it reached the platform when it started.
    window.release(0, 0);
    expect(window.nextFreeAt(950)).toBe(1_025);
    expect(window.nextFreeAt(1_025)).toBe(1_025);
    expect(window.nextFreeAt(1_026)).toBe(1_026);
  });

  it('frees a slot windowMs + margin after the send started, before its answer on a long round trip', () => {
    // The shortest round trip to this platform is 1,200 ms: a send running at 1,100 is normal.
    const window = new SlidingWindow({ limit: 1, windowMs: 1_000 }, 25, () => 1_200);
    window.acquire(0);
    expect(window.nextFreeAt(1_024)).toBe(1_025);
    expect(window.nextFreeAt(1_100)).toBe(1_100);
    // Still running at 1,300, past a normal round trip: stuck, so it holds the slot until it answers.
    expect(window.nextFreeAt(1_300)).toBe(Infinity);
    expect(window.isIdle(1_300)).toBe(false);
    window.release(0, 0);
    expect(window.nextFreeAt(1_300)).toBe(1_300);
    expect(window.isIdle(1_300)).toBe(true);
  });

  it('holds the slot of a send stuck past its window (a blocked event loop) until it answers', () => {
    // Round trips are 5 ms: a send still running at 3 s has perhaps not even left yet.
    const window = new SlidingWindow({ limit: 1, windowMs: 1_000 }, 25, () => 5);
    window.acquire(0);
    expect(window.nextFreeAt(3_000)).toBe(Infinity);
    // It answered at 3,400: it arrived by 3,395 at the latest.
    window.release(0, 3_395);
    expect(window.nextFreeAt(3_400)).toBe(4_420);
  });

  it('counts a send that queued somewhere from when it reached the platform at the latest', () => {
    const window = new SlidingWindow({ limit: 1, windowMs: 1_000 }, 25);
    window.acquire(0);
    expect(window.nextFreeAt(10)).toBe(1_025);
    // Answered at 300 where the shortest round trip is 20: it may have arrived as late as 280.
    window.release(0, 280);
    expect(window.nextFreeAt(300)).toBe(1_305);
    expect(window.isIdle(1_304)).toBe(false);
  });
});

describe('SlidingWindow with multi-part sends', () => {
  it('counts every part, the later ones from the finish, and lets a reply bigger than the window go as one burst', () => {
    const window = new SlidingWindow({ limit: 5, windowMs: 1_000 }, 0);
    window.acquire(0, 3);
    expect(window.nextFreeAt(0, 2)).toBe(0);
    // The first part frees its slot at 1,000; the two later ones only when the send finishes.
    expect(window.nextFreeAt(0, 3)).toBe(1_000);
    expect(window.nextFreeAt(0, 4)).toBe(Infinity);
    // Finished at 100; the parts reached the platform by 60 at the latest.
    window.release(0, 60, 3);
    expect(window.nextFreeAt(200, 2)).toBe(200);
    expect(window.nextFreeAt(200, 3)).toBe(1_060);
    const single = new SlidingWindow({ limit: 1, windowMs: 1_000 }, 0);
    expect(single.nextFreeAt(0, 4)).toBe(0);
    single.acquire(0, 4);
    single.release(0, 10, 4);
    expect(single.nextFreeAt(20)).toBe(1_010);
  });
});

describe('RoundTrips', () => {
  it('is 0 while warming up, then the shortest of the recent round trips, rising again as old ones leave', () => {
    const trips = new RoundTrips(3);
    trips.record(300);
    trips.record(40);
    expect(trips.shortest()).toBe(0);
    trips.record(90);
    expect(trips.shortest()).toBe(40);
    for (let i = 0; i < 256; i++) trips.record(250 + (i % 3));
    expect(trips.shortest()).toBe(250);
  });
});

describe('MinHeap', () => {
  it('pops in order', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    const values = [5, 3, 9, 1, 7, 3, 0, 8];
    for (const value of values) heap.push(value);
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop()!);
    expect(popped).toEqual([...values].sort((a, b) => a - b));
  });
});
