/**
 * The order of map keys in canonical bytes. The encoder used to build every map as a JavaScript
 * object with its keys inserted in code-unit order and write the keys in the order the object
 * listed them; objects list array indices ("0" to "4294967294") first, in numeric order. So
 * canonical maps hold their array-index keys first by value, then the other keys by UTF-16
 * code units, and that stays the format.
 */
const MAX_ARRAY_INDEX = 2 ** 32 - 2;

export function isArrayIndex(key: string): boolean {
  const length = key.length;
  if (length === 0 || length > 10) return false;
  const first = key.charCodeAt(0);
  if (first === 0x30) return length === 1;
  for (let i = 0; i < length; i++) {
    const code = key.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return length < 10 || Number(key) <= MAX_ARRAY_INDEX;
}

/** Negative when `a` comes before `b` in a canonical map, zero when they are the same key. */
export function compareKeys(a: string, b: string): number {
  const aIsIndex = isArrayIndex(a);
  if (aIsIndex !== isArrayIndex(b)) return aIsIndex ? -1 : 1;
  if (aIsIndex) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Up to this many keys an insertion sort is faster than `Array.prototype.sort`; past it, quadratic. */
const INSERTION_SORT_KEYS = 16;

/** The own enumerable keys of `map` in canonical order. */
export function canonicalKeys(map: object): string[] {
  const keys = Object.keys(map);
  if (keys.length > INSERTION_SORT_KEYS) return keys.sort(compareKeys);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && compareKeys(keys[j] as string, key) > 0; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = key;
  }
  return keys;
}
