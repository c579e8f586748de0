import { describe, expect, it } from 'vitest';
import { IngestQueue } from './ingest-queue.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ingest queue', () => {
  it('hands items over a slice per event-loop turn, in arrival order, letting other work run between', async () => {
    const events: string[] = [];
    const queue = new IngestQueue<number>((items) => events.push(`slice ${items.join(',')}`), 3, 100);
    queue.push([1, 2, 3, 4]);
    queue.push([5, 6, 7]);
    expect(events).toEqual([]);
    setImmediate(() => events.push('other work'));
    for (let i = 0; i < 5 && queue.waiting > 0; i++) await turn();
    expect(events).toEqual(['slice 1,2,3', 'other work', 'slice 4,5,6', 'slice 7']);
    expect(queue.waiting).toBe(0);
  });

  it('drops what arrives beyond its bound and says how much, keeping what it holds', async () => {
    const handled: number[] = [];
    const queue = new IngestQueue<number>((items) => handled.push(...items), 10, 4);
    expect(queue.push([1, 2, 3])).toBe(0);
    expect(queue.push([4, 5, 6])).toBe(2);
    expect(queue.waiting).toBe(4);
    await turn();
    expect(handled).toEqual([1, 2, 3, 4]);
    queue.push([7]);
    await turn();
    expect(handled).toEqual([1, 2, 3, 4, 7]);
  });

  it('keeps handing over under a steady stream that never empties it', async () => {
    let handled = 0;
    const queue = new IngestQueue<number>((items) => (handled += items.length), 2, 10);
    for (let i = 0; i < 200; i++) {
      queue.push([i, i]);
      await turn();
    }
    for (let i = 0; i < 10 && queue.waiting > 0; i++) await turn();
    expect(handled).toBe(400);
  });

  it('hands over nothing after stop', async () => {
    const handled: number[] = [];
    const queue = new IngestQueue<number>((items) => handled.push(...items), 2, 10);
    queue.push([1, 2, 3]);
    queue.stop();
    await turn();
    await turn();
    expect(handled).toEqual([]);
    expect(queue.waiting).toBe(0);
  });
});
