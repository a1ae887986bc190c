/** Plan limits beyond authorization: plans, the usage page, banked resets and bulk resets. */
import type { App } from "../app.js";

export function registerUsageRoutes(_app: App): void {}
