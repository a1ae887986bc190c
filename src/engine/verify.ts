/**
 * `verify`: recompute every invariant the ledger owns from the posted entries and name the first
 * violation. Run by the CLI, by the test suites after every scenario, and after a crash.
 */

import type { Store } from "../store/store.js";
import { LEDGER_CHECKS, type LedgerCounts, ledgerCounts, runCheck } from "../store/verify-repo.js";

export interface VerifyReport {
  readonly ok: boolean;
  readonly checks: readonly { name: string; invariant: string; violation: string | null }[];
  /** The first violation, in words, or null. */
  readonly firstViolation: string | null;
  readonly counts: LedgerCounts;
}

export async function verifyLedger(
  store: Store,
  onProgress?: (done: number, total: number, name: string) => void,
): Promise<VerifyReport> {
  const checks: { name: string; invariant: string; violation: string | null }[] = [];
  // One snapshot for every check, so a ledger being written to is judged at a single instant.
  const counts = await store.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    for (const [index, check] of LEDGER_CHECKS.entries()) {
      onProgress?.(index, LEDGER_CHECKS.length, check.name);
      checks.push({ name: check.name, invariant: check.invariant, violation: await runCheck(tx, check) });
    }
    onProgress?.(LEDGER_CHECKS.length, LEDGER_CHECKS.length, "done");
    return ledgerCounts(tx);
  });
  const first = checks.find((check) => check.violation !== null);
  return {
    ok: first === undefined,
    checks,
    firstViolation: first === undefined ? null : `${first.name}: ${first.violation}`,
    counts,
  };
}
