/** Every route of the API, registered in one place. */
import type { App } from "../app.js";
import { registerCustomerTokens } from "./customer-tokens-post.js";
import { registerCustomersList } from "./customers-list.js";
import { registerGiftRoutes } from "./gift-routes.js";
import { registerHealth } from "./health.js";
import { registerLedgerRoutes } from "./ledger-routes.js";
import { registerPaymentRoutes } from "./payments-routes.js";
import { registerReferralRoutes } from "./referral-routes.js";
import { registerReportsGiftingGet } from "./reports-gifting-get.js";
import { registerReportRoutes } from "./reports-routes.js";
import { registerUsageAuthorize } from "./usage-authorize.js";
import { registerUsageRoutes } from "./usage-routes.js";
import { registerWebhooksRoutes } from "./webhooks-routes.js";

export function registerRoutes(app: App): void {
  registerHealth(app);
  registerCustomerTokens(app);
  registerLedgerRoutes(app);
  registerUsageAuthorize(app);
  registerUsageRoutes(app);
  registerWebhooksRoutes(app);
  registerGiftRoutes(app);
  registerReferralRoutes(app);
  registerReportsGiftingGet(app);
  registerReportRoutes(app);
  registerCustomersList(app);
  registerPaymentRoutes(app);
}
