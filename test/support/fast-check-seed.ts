/**
 * Property runs are random by default, so every local run explores new cases. With `FC_SEED` set
 * (CI sets it) they are reproducible: a change is judged on the same cases every time, and a failure
 * found locally can be replayed with the seed fast-check prints.
 */
import fc from "fast-check";

const seed = process.env.FC_SEED;
if (seed !== undefined && seed !== "") {
  const parsed = Number(seed);
  if (!Number.isSafeInteger(parsed)) throw new Error(`FC_SEED must be an integer, got "${seed}"`);
  fc.configureGlobal({ seed: parsed });
}
