import { taggedHash } from '@certledger/codec';
import { keyPairFromSeed } from '@certledger/crypto';
import { signNative, verifyNative } from '@certledger/crypto/native';

/** One core's native Ed25519 verification speed: verifies per second of wall time, and CPU µs per verify. */
export interface VerifySpeed {
  readonly perSecond: number;
  readonly cpuMicros: number;
}

/**
 * Native Ed25519 verification in this process, the baseline benchmarks read their figures
 * against: the best of `runs` runs of `runMs` each, since other work on the machine only ever
 * slows a run down.
 */
export function measureVerifySpeed(runs: number, runMs: number): VerifySpeed {
  const pair = keyPairFromSeed(new Uint8Array(32).fill(3));
  const messages = Array.from({ length: 512 }, (_, i) => taggedHash('tx-signing', Uint8Array.of(i >> 8, i & 255)));
  const signatures = messages.map((m) => signNative(m, pair.secretKey));
  const measured = Array.from({ length: runs }, () => {
    let count = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    while (performance.now() - started < runMs) {
      for (let i = 0; i < messages.length; i++) if (verifyNative(signatures[i]!, messages[i]!, pair.publicKey)) count++;
    }
    const cpu = process.cpuUsage(cpuBefore);
    return { perSecond: count / ((performance.now() - started) / 1000), cpuMicros: (cpu.user + cpu.system) / count };
  });
  return { perSecond: Math.max(...measured.map((r) => r.perSecond)), cpuMicros: Math.min(...measured.map((r) => r.cpuMicros)) };
}

/**
 * The faster of a measurement before a load and one after it sets the ceiling: other work on
 * the machine only ever slows a measurement, and a slowed one would lower the ceiling and
 * flatter the share.
 */
export function fasterOf(before: VerifySpeed, after: VerifySpeed): VerifySpeed {
  return { perSecond: Math.max(before.perSecond, after.perSecond), cpuMicros: Math.min(before.cpuMicros, after.cpuMicros) };
}

/**
 * The share of the verification ceiling that a CPU cost allows with every core on it, when
 * `cpuMicrosPerTx` is what the validators together and the load client spend per committed
 * transaction and each validator must spend one verify on it.
 */
export function shareCpuAllows(verify: VerifySpeed, validators: number, cpuMicrosPerTx: number): number {
  return (validators * verify.cpuMicros) / cpuMicrosPerTx;
}
