import { describe, expect, it } from 'vitest';
import { SlidingWindow } from '../../src/delivery/rate-limit.js';
import { MinHeap } from '../../src/delivery/min-heap.js';

describe('SlidingWindow', () => {
  it('has room until the limit, counting in-flight sends', () => {
    const window = new SlidingWindow({ limit: 2, windowMs: 1_000 });
    expect(window.nextFreeAt(0)).toBe(0);
    window.acquire();
    window.acquire();
    // Both slots are in flight: only a completion can free one.
    expect(window.nextFreeAt(10)).toBe(Infinity);
    window.release(100);
    expect(window.nextFreeAt(150)).toBe(1_100);
    window.release(300);
    expect(window.nextFreeAt(1_050)).toBe(1_100);
    expect(window.nextFreeAt(1_100)).toBe(1_100);
  });

  it('frees a slot windowMs after the send finished, not after it started', () => {
    const window = new SlidingWindow({ limit: 1, windowMs: 1_000 });
    window.acquire();
    window.release(400);
    expect(window.nextFreeAt(1_000)).toBe(1_400);
    expect(window.isIdle(1_399)).toBe(false);
    expect(window.isIdle(1_400)).toBe(true);
  });
});

describe('SlidingWindow with multi-part sends', () => {
  it('counts every part, and lets a reply bigger than the window go as one burst', () => {
    const window = new SlidingWindow({ limit: 5, windowMs: 1_000 });
    window.acquire(3);
    expect(window.nextFreeAt(0, 2)).toBe(0);
    expect(window.nextFreeAt(0, 3)).toBe(Infinity);
    window.release(100, 3);
    expect(window.nextFreeAt(200, 3)).toBe(1_100);
    const single = new SlidingWindow({ limit: 1, windowMs: 1_000 });
    expect(single.nextFreeAt(0, 4)).toBe(0);
    single.acquire(4);
    single.release(10, 4);
    expect(single.nextFreeAt(20)).toBe(1_010);
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
