/** The ledger's routes: customers, grants, balance, ledger, debits, holds and reversals. */
import type { App } from "../app.js";

export function registerLedgerRoutes(_app: App): void {}
