import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (µs) used so far by a process or thread, from its /proc stat line (Linux only). */
export function cpuMicrosOf(statPath: string): number {
  // Fields after the command name, which sits in parentheses: utime and stime are 14th and 15th.
  const fields = readFileSync(statPath, 'latin1').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
}
