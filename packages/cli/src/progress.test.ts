import { describe, expect, it } from 'vitest';
import { withProgress } from './progress.js';

function recorder(isTTY: boolean) {
  const written: string[] = [];
  let clock = 0;
  return { written, output: { isTTY, write: (text: string) => written.push(text) }, now: () => clock, advance: (ms: number) => (clock += ms) };
}

describe('progress', () => {
  it('logs a line every two seconds and one at the end when stderr is not a terminal, even from a synchronous step', async () => {
    const r = recorder(false);
    const result = await withProgress(
      'signing',
      10,
      (update) => {
        for (let done = 1; done <= 9; done++) {
          r.advance(500);
          update(done);
        }
        return 'signed';
      },
      r.output,
      r.now,
    );
    expect(result).toBe('signed');
    expect(r.written.map((line) => line.split(']')[1])).toEqual([' 0/10 0% 0s\n', ' 4/10 40% 2s\n', ' 8/10 80% 4s\n', ' 10/10 100% 5s\n']);
    expect(r.written[1]).toBe(`${'signing'.padEnd(24)} [${'='.repeat(12)}${'-'.repeat(18)}] 4/10 40% 2s\n`);
  });

  it('redraws one line in place on a terminal and ends it, also when the step fails', async () => {
    const r = recorder(true);
    const failing = withProgress(
      'writing',
      4,
      (update) => {
        r.advance(100);
        update(1);
        throw new Error('disk full');
      },
      r.output,
      r.now,
    );
    await expect(failing).rejects.toThrow('disk full');
    expect(r.written).toHaveLength(3);
    expect(r.written[0]).toMatch(/^\rwriting .* 0\/4 0% 0s\x1b\[K$/);
    expect(r.written[1]).toMatch(/^\rwriting .* 1\/4 25% 0s\x1b\[K$/);
    expect(r.written[2]).toBe('\n');
  });
});
