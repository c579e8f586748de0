import { generateKeyPair, sign, verify, verifyReference, signReference } from './index.js';
const kp = generateKeyPair();
const msg = new Uint8Array(100);
const sig = sign(msg, kp.secretKey);
function time(name: string, n: number, f: () => unknown) {
  for (let i = 0; i < Math.min(n, 200); i++) f();
  const t = performance.now();
  for (let i = 0; i < n; i++) f();
  const ms = performance.now() - t;
  console.log(name, (n / ms * 1000).toFixed(0), '/s', (ms / n * 1000).toFixed(1), 'us');
}
time('verify native', 20000, () => verify(sig, msg, kp.publicKey));
time('verify noble', 2000, () => verifyReference(sig, msg, kp.publicKey));
time('sign native', 20000, () => sign(msg, kp.secretKey));
time('sign noble', 2000, () => signReference(msg, kp.secretKey));
