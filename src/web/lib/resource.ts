/**
 * Loading data for a view: every view shows one of loading, error (with a retry) or its data, and
 * can reload after a write. A slow answer that arrives after a newer request is dropped.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { BoonError } from "../../../sdk/client.js";

export type Resource<T> =
  | { readonly state: "loading"; readonly reload: () => void }
  | { readonly state: "error"; readonly message: string; readonly reload: () => void }
  | { readonly state: "ready"; readonly data: T; readonly reload: () => void };

/** The sentence to show for a failed call: the API's own message when there is one. */
export function messageOf(error: unknown): string {
  if (error instanceof BoonError) {
    if (error.code === "unavailable") return "Boon is unavailable right now. Try again in a moment.";
    if (error.code === "rate_limited") return "Too many requests. Wait a moment and try again.";
    if (error.code === "unauthorized") return "Your session has ended. Sign in again.";
    return error.message.replace(/^[a-z_]+: /, "");
  }
  if (error instanceof TypeError) return "Could not reach Boon. Check your connection and try again.";
  return error instanceof Error ? error.message : String(error);
}

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [result, setResult] = useState<
    { state: "loading" } | { state: "error"; message: string } | { state: "ready"; data: T }
  >({ state: "loading" });
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on.
  useEffect(() => {
    const ticket = latest.current + 1;
    latest.current = ticket;
    let keep = true;
    load().then(
      (data) => {
        if (keep && latest.current === ticket) setResult({ state: "ready", data });
      },
      (error: unknown) => {
        if (keep && latest.current === ticket) setResult({ state: "error", message: messageOf(error) });
      },
    );
    return () => {
      keep = false;
    };
  }, [...deps, round]);
  return { ...result, reload };
}
