/** The ledger's routes: customers, grants, balance, ledger, debits, holds and reversals. */
import type { App } from "../app.js";
import { registerBalanceGet } from "./balance-get.js";
import { registerCustomersGet } from "./customers-get.js";
import { registerCustomersPut } from "./customers-put.js";
import { registerDebitsPost } from "./debits-post.js";
import { registerGrantsPost } from "./grants-post.js";
import { registerHoldsCapture } from "./holds-capture.js";
import { registerHoldsPost } from "./holds-post.js";
import { registerHoldsVoid } from "./holds-void.js";
import { registerLedgerGet } from "./ledger-get.js";
import { registerTransfersReverse } from "./transfers-reverse.js";

export function registerLedgerRoutes(app: App): void {
  registerCustomersPut(app);
  registerCustomersGet(app);
  registerGrantsPost(app);
  registerBalanceGet(app);
  registerLedgerGet(app);
  registerDebitsPost(app);
  registerHoldsPost(app);
  registerHoldsCapture(app);
  registerHoldsVoid(app);
  registerTransfersReverse(app);
}
