/**
 * What the server tells the pages about itself, in a JSON script tag it writes into index.html:
 * the display scale of credits and whether the demo host (the stand-in product) is on.
 */
import { DISPLAY_SCALE_MAX } from "./format.js";

export interface WebConfig {
  /** Decimal places credits are shown with: 2 shows 1250 minor units as 12.50. */
  readonly displayScale: number;
  /** Whether the demo host routes (`/demo/api/...`) are served. */
  readonly demo: boolean;
}

export const CONFIG_DEFAULT: WebConfig = { displayScale: 0, demo: false };

export function readConfig(doc: Document): WebConfig {
  const text = doc.getElementById("boon-config")?.textContent ?? "";
  try {
    const parsed = JSON.parse(text) as Partial<WebConfig>;
    const scale = parsed.displayScale;
    return {
      displayScale:
        typeof scale === "number" && Number.isInteger(scale) && scale >= 0 && scale <= DISPLAY_SCALE_MAX
          ? scale
          : CONFIG_DEFAULT.displayScale,
      demo: parsed.demo === true,
    };
  } catch {
    return CONFIG_DEFAULT;
  }
}
