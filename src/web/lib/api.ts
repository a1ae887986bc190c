/** The typed client the pages call Boon with: the same SDK host products use, over this origin. */
import { BoonClient } from "../../../sdk/client.js";

export function clientFor(apiKey: string, baseUrl?: string): BoonClient {
  // Browsers refuse `fetch` called as a method of another object, so it is wrapped, not passed.
  return new BoonClient({
    baseUrl: baseUrl ?? window.location.origin,
    apiKey,
    retries: 2,
    fetch: (input, init) => fetch(input, init),
  });
}
