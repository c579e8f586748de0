import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const folder = new URL('./', import.meta.url);
const libraryFiles = readdirSync(folder).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('data-integrity runs in a web page', () => {
  it.each(libraryFiles)('%s imports no Node built-in', (name) => {
    const source = readFileSync(new URL(name, folder), 'utf8');
    const specifiers = [...source.matchAll(/\bfrom\s+'([^']+)'/g)].map((match) => match[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const specifier of specifiers) expect(specifier).not.toMatch(/^node:|^(fs|path|crypto|buffer|os)$/);
  });
});
