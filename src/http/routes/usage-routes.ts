/** Plan limits beyond authorization: plans, the usage page, banked resets and bulk resets. */
import type { App } from "../app.js";
import { registerPlanVersionsGet } from "./plan-versions-get.js";
import { registerPlansGet } from "./plans-get.js";
import { registerPlansPut } from "./plans-put.js";
import { registerResetsAuditGet } from "./resets-audit-get.js";
import { registerResetsBulk } from "./resets-bulk.js";
import { registerResetsGrant } from "./resets-grant.js";
import { registerResetsRedeem } from "./resets-redeem.js";
import { registerUsageHistoryGet } from "./usage-history-get.js";

export function registerUsageRoutes(app: App): void {
  registerPlansPut(app);
  registerPlansGet(app);
  registerPlanVersionsGet(app);
  registerUsageHistoryGet(app);
  registerResetsGrant(app);
  registerResetsRedeem(app);
  registerResetsBulk(app);
  registerResetsAuditGet(app);
}
