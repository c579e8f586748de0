import { describe, expect, it } from 'vitest';
import { firstUnknownKey } from './shape.js';

describe('firstUnknownKey', () => {
  const known = ['name', 'port'];

  it('finds nothing when every field is known, or there are none', () => {
    expect(firstUnknownKey({ name: 'a', port: 1 }, known)).toBeUndefined();
    expect(firstUnknownKey({}, known)).toBeUndefined();
  });

  it('names the first field not known, in document order, case included', () => {
    expect(firstUnknownKey({ name: 'a', Port: 1, extra: 2 }, known)).toBe('Port');
  });

  it('sees "__proto__" as a field when JSON.parse made it one', () => {
    expect(firstUnknownKey(JSON.parse('{"name":"a","__proto__":{}}') as object, known)).toBe('__proto__');
  });
});
