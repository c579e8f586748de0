import { describe, expect, it } from 'vitest';
import { BoundedLru } from './lru.js';

describe('BoundedLru', () => {
  it('evicts the least recently used entry once over capacity', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
  });

  it('keeps the order of use when the newest entry is asked for again', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    expect(lru.get('a')).toBe(1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
  });

  it('makes and remembers a missing value once, and remembers nothing when making it throws', () => {
    const lru = new BoundedLru<string, number>(2);
    let made = 0;
    const make = (key: string) => {
      made++;
      if (key === 'bad') throw new Error('no value');
      return key.length;
    };
    expect(lru.getOrAdd('abc', make)).toBe(3);
    expect(lru.getOrAdd('abc', make)).toBe(3);
    expect(made).toBe(1);
    expect(() => lru.getOrAdd('bad', make)).toThrow('no value');
    expect(lru.size).toBe(1);
  });

  it('replaces a value without growing', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('a', 2);
    expect(lru.size).toBe(1);
    expect(lru.get('a')).toBe(2);
  });

  it('refuses a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) expect(() => new BoundedLru(capacity)).toThrow(RangeError);
  });
});
