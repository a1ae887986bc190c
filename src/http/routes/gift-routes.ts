/** Gifting: programs, sending, the public preview, claiming, revoking, the Gifts page and review. */
import type { App } from "../app.js";
import { registerGiftsClaim } from "./gifts-claim.js";
import { registerGiftsCustomerGet } from "./gifts-customer-get.js";
import { registerGiftsGet } from "./gifts-get.js";
import { registerGiftsPost } from "./gifts-post.js";
import { registerGiftsReviewGet } from "./gifts-review-get.js";
import { registerGiftsReviewPost } from "./gifts-review-post.js";
import { registerGiftsRevoke } from "./gifts-revoke.js";
import { registerProgramsGet } from "./programs-get.js";
import { registerProgramsList } from "./programs-list.js";
import { registerProgramsPatch } from "./programs-patch.js";
import { registerProgramsPost } from "./programs-post.js";

export function registerGiftRoutes(app: App): void {
  registerProgramsPost(app);
  registerProgramsPatch(app);
  registerProgramsList(app);
  registerProgramsGet(app);
  registerGiftsPost(app);
  // Before `GET /v1/gifts/{code}`, which would otherwise take `review` for a code.
  registerGiftsReviewGet(app);
  registerGiftsGet(app);
  registerGiftsClaim(app);
  registerGiftsRevoke(app);
  registerGiftsReviewPost(app);
  registerGiftsCustomerGet(app);
}
