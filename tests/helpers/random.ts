/**
 * Seeded integers for generated test inputs, from the project's mulberry32 (`rng`, shared/demo/generate.ts: exact
 * 32-bit arithmetic, every bit used). Several tests had a linear congruential step computed in floating point,
 * `(seed * 1103515245 + 12345) % 2 ** 31`: the product passes 2^53 and loses its low bits, so after a few dozen
 * steps every value was a multiple of a large power of two and `value % n` chose among two or three of the n pieces
 * — the generated inputs hardly varied (a leading byte order mark, for one, was never generated).
 */
import { rng } from '../../shared/demo/generate.ts';

/** A source of integers in [0, n), the same sequence for the same seed. */
export function seededRandom(seed: number): (n: number) => number {
  const next = rng(seed);
  return (n: number) => Math.floor(next() * n);
}
