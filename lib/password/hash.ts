import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hash, parseOptions, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';
import { providePasswordHashFigures } from '@/lib/observability/metrics.mjs';

// OWASP Password Storage Cheat Sheet's first argon2id configuration (PRODUCT.md, "password hashing").
export const ARGON2_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// Values of @node-rs/argon2's `Algorithm` and `Version` const enums, which isolatedModules cannot import.
const ARGON2ID = 2;
const VERSION_0x13 = 1;

// NFKC so that the same password typed on another keyboard or IME (fullwidth, composed or decomposed accents)
// still matches (PRODUCT.md, "Unicode"; NIST SP 800-63B).
function normalize(password: string): string {
  return password.normalize('NFKC');
}

/**
 * At most one argon2id run per core at once; the rest wait their turn here, holding no memory. More
 * at once would not finish sooner (each keeps a core busy), but each would hold its 19 MiB while it
 * shares a core: libuv's pool runs four (README, "Memory of one instance").
 */
const argon2Turn = pLimit(availableParallelism());

/** How many argon2id runs are going and how many wait their turn, now (also the metrics' gauges). */
export function argon2Runs(): { running: number; waiting: number } {
  return { running: argon2Turn.activeCount, waiting: argon2Turn.pendingCount };
}
providePasswordHashFigures(argon2Runs);

export function hashPassword(password: string): Promise<string> {
  return argon2Turn(() => hash(normalize(password), { ...ARGON2_PARAMS, algorithm: ARGON2ID }));
}

let verifiesDone = 0;

/** How many verifies this process has run: every refusal of a sign-in runs exactly one (tests count them). */
export function argon2VerifiesDone(): number {
  return verifiesDone;
}

/** False, never an exception, for a wrong password or a hash that is not a valid argon2 string. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2Turn(() => {
      verifiesDone += 1;
      return verify(hash, normalize(password));
    });
  } catch {
    return false;
  }
}

/** True when the stored hash was made with a weaker algorithm or parameters than ARGON2_PARAMS: rehash on sign-in. */
export function needsRehash(hash: string): boolean {
  try {
    const options = parseOptions(hash);
    // Parallelism is left out: with the same total memory, more lanes do not make an attacker's work cheaper.
    return (
      options.algorithm !== ARGON2ID ||
      options.version !== VERSION_0x13 ||
      options.memoryCost < ARGON2_PARAMS.memoryCost ||
      options.timeCost < ARGON2_PARAMS.timeCost
    );
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one real verify, for an unknown account or agency, so that response time does not tell
 * whether an account exists. The hash is of a random secret nobody knows, made once per process.
 */
export async function verifyDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  await verifyPassword(await dummyHash, password);
  return false;
}
