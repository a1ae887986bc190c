/** The operator's reports beside the gifting one: liability, breakage, usage and referrals. */
import type { App } from "../app.js";
import { registerReportsBreakageGet } from "./reports-breakage-get.js";
import { registerReportsLiabilityGet } from "./reports-liability-get.js";
import { registerReportsReferralsGet } from "./reports-referrals-get.js";
import { registerReportsUsageGet } from "./reports-usage-get.js";

export function registerReportRoutes(app: App): void {
  registerReportsLiabilityGet(app);
  registerReportsBreakageGet(app);
  registerReportsUsageGet(app);
  registerReportsReferralsGet(app);
}
