import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/*
 * Agent passwords: scrypt, stored as `scrypt$N$r$p$saltB64$hashB64` so that the cost can be raised
 * later without invalidating existing hashes (verification reads the parameters from the string).
 * N = 2^15, r = 8, p = 3 is one of the OWASP Password Storage Cheat Sheet's minimum settings for
 * scrypt (as strong as its N = 2^17, p = 1, with a quarter of the memory: 32 MiB, about 150 ms of
 * a server core).
 */
const N = 2 ** 15;
const R = 8;
const P = 3;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Stored parameters are data: bound them so a tampered row cannot make a login burn the server.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

// One derivation at a time: each takes 32 MiB and a core for ~150 ms. A burst of sign-ins queues
// here instead of taking every libuv worker thread (which file, DNS and zlib work shares) at once.
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => {});
  return run;
}

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return oneAtATime(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) =>
          err ? reject(err) : resolve(key),
        );
      }),
  );
}

function maxmem(n: number, r: number, p: number): number {
  return 128 * n * r + 128 * r * p + 1024 * 1024;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, { N, r: R, p: P, maxmem: maxmem(N, R, P) });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

/** False for a wrong password and for anything that is not a hash this module could have written. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const n = Number(parts[1]);
  const r = Number(parts[2]);
  const p = Number(parts[3]);
  if (!isPowerOfTwo(n) || n > MAX_N) return false;
  if (!Number.isInteger(r) || r < 1 || r > MAX_R || !Number.isInteger(p) || p < 1 || p > MAX_P) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || expected.length < 16 || expected.length > 64) return false;
  const actual = await derive(password, salt, expected.length, { N: n, r, p, maxmem: maxmem(n, r, p) });
  return timingSafeEqual(actual, expected);
}

/**
 * Whether a stored hash was made with weaker parameters than today's, to rehash at next login.
 * The work is N × p (OWASP's settings trade one for the other); r below ours is weaker too.
 */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return scheme !== 'scrypt' || Number(n) * Number(p) < N * P || Number(r) < R;
}
