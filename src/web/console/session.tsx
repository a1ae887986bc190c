/**
 * The console's session: the admin key (kept in sessionStorage, so it lasts as long as the tab and
 * no longer), the client that calls Boon with it, and signing out. A key that stops working mid-session
 * (revoked, rotated) sends the operator back to the sign-in form with a sentence saying why.
 */
import { createContext, type ReactNode, useContext } from "react";
import { BoonClient, BoonError } from "../../../sdk/client.js";
import { messageOf } from "../lib/resource.js";

export const ADMIN_KEY_STORAGE_KEY = "boon.console.adminKey";
/** Attempts after the first for calls that are safe to retry; the SDK reuses the idempotency key. */
const CLIENT_RETRIES = 2;

export interface Session {
  readonly client: BoonClient;
  readonly signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider(props: { readonly session: Session; readonly children: ReactNode }) {
  return <SessionContext.Provider value={props.session}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error("useSession is used outside the signed-in console");
  return session;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be refused (privacy settings); the console then asks for the key on every load.
    return null;
  }
}

export function readAdminKey(): string | null {
  const key = storage()?.getItem(ADMIN_KEY_STORAGE_KEY) ?? null;
  return key === null || key === "" ? null : key;
}

export function saveAdminKey(key: string): void {
  storage()?.setItem(ADMIN_KEY_STORAGE_KEY, key);
}

export function clearAdminKey(): void {
  storage()?.removeItem(ADMIN_KEY_STORAGE_KEY);
}

export interface ConnectOptions {
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  /** Called when Boon answers 401: the key no longer works. */
  readonly onUnauthorized?: () => void;
}

/**
 * The SDK client for a key. It is built here rather than with lib/api.ts's `clientFor` because the
 * console watches every answer for a 401, to end a session whose key stopped working.
 */
export function connect(apiKey: string, options: ConnectOptions): BoonClient {
  const watched: typeof fetch = async (input, init) => {
    const response = await options.fetch(input, init);
    if (response.status === 401) options.onUnauthorized?.();
    return response;
  };
  return new BoonClient({ baseUrl: options.baseUrl, apiKey, retries: CLIENT_RETRIES, fetch: watched });
}

/** A cheap admin-only call: it proves the key is valid and has the admin scope. */
export async function probeAdminKey(client: BoonClient): Promise<void> {
  await client.call("listPrograms");
}

/** What the sign-in form says when a key is refused. */
export function signInErrorMessage(error: unknown): string {
  if (error instanceof BoonError && error.status === 401)
    return "That key was not accepted. Check that you copied all of it and try again.";
  if (error instanceof BoonError && error.status === 403)
    return "That key works, but it is not an admin key. The console needs a key with the admin scope.";
  return messageOf(error);
}
