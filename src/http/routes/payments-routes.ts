/** Bundles and payments: the catalog, checkout, the provider's webhook, purchases and revenue. */
import type { App } from "../app.js";
import { registerBundlesList } from "./bundles-list.js";
import { registerBundlesPut } from "./bundles-put.js";
import { registerBundlesRetire } from "./bundles-retire.js";
import { registerCheckoutPost } from "./checkout-post.js";
import { registerPaymentsWebhook } from "./payments-webhook.js";
import { registerPurchasesCustomerGet } from "./purchases-customer-get.js";
import { registerPurchasesReviewGet } from "./purchases-review-get.js";
import { registerPurchasesReviewPost } from "./purchases-review-post.js";
import { registerReportsRevenueGet } from "./reports-revenue-get.js";

export function registerPaymentRoutes(app: App): void {
  registerBundlesList(app);
  registerBundlesPut(app);
  registerBundlesRetire(app);
  registerCheckoutPost(app);
  registerPaymentsWebhook(app);
  registerPurchasesCustomerGet(app);
  registerPurchasesReviewGet(app);
  registerPurchasesReviewPost(app);
  registerReportsRevenueGet(app);
}
