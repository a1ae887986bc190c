/**
 * Who the demo shell acts as: a demo customer picked in the switcher (remembered in this browser),
 * with a customer token from the demo host, renewed before it runs out.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { BoonClient } from "../../../sdk/client.js";
import { clientFor } from "../lib/api.js";
import { messageOf } from "../lib/resource.js";
import { type DemoCustomer, demoApi } from "./demo-api.js";

const STORAGE_KEY = "boon.demo.customer";
/** How long before a token's expiry a fresh one is asked for. */
const RENEW_MARGIN_MS = 60_000;

export interface Session {
  readonly customerId: string;
  readonly name: string;
  readonly plan: string | null;
  readonly client: BoonClient;
}

export interface DemoSession {
  readonly customers: readonly DemoCustomer[];
  readonly session: Session | null;
  readonly status: "loading" | "ready" | "error";
  /**
   * A customer remembered from an earlier visit is being signed in again. False once that failed
   * (a customer that no longer exists, say), so the page can offer to choose another.
   */
  readonly signingIn: boolean;
  readonly error: string | null;
  signIn(customerId: string): void;
  signOut(): void;
  createCustomer(displayName: string): Promise<void>;
  refreshCustomers(): void;
}

export function nameOf(customer: DemoCustomer): string {
  return customer.displayName ?? customer.id;
}

export function useDemoSession(enabled: boolean): DemoSession {
  const [customers, setCustomers] = useState<readonly DemoCustomer[]>([]);
  const [status, setStatus] = useState<"loading" | "ready" | "error">("loading");
  const [error, setError] = useState<string | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [customerId, setCustomerId] = useState<string | null>(() => window.localStorage.getItem(STORAGE_KEY));
  const [token, setToken] = useState<{ customerId: string; token: string; expiresAtMs: number } | null>(null);
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` asks for a reload.
  useEffect(() => {
    if (!enabled) return;
    demoApi.customers().then(
      (answer) => {
        setCustomers(answer.data);
        setStatus("ready");
      },
      (failure: unknown) => {
        setError(messageOf(failure));
        setStatus("error");
      },
    );
  }, [enabled, round]);

  useEffect(() => {
    if (!enabled || customerId === null) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const renew = () => {
      demoApi.session(customerId).then(
        (answer) => {
          if (!live) return;
          const expiresAtMs = Date.parse(answer.expiresAt);
          setToken({ customerId, token: answer.token, expiresAtMs });
          timer = setTimeout(renew, Math.max(1000, expiresAtMs - Date.now() - RENEW_MARGIN_MS));
        },
        (failure: unknown) => {
          if (live) setSignInError(messageOf(failure));
        },
      );
    };
    renew();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [enabled, customerId]);

  const signIn = useCallback((id: string) => {
    window.localStorage.setItem(STORAGE_KEY, id);
    setSignInError(null);
    setToken(null);
    setCustomerId(id);
  }, []);
  const signOut = useCallback(() => {
    window.localStorage.removeItem(STORAGE_KEY);
    setSignInError(null);
    setToken(null);
    setCustomerId(null);
  }, []);
  const createCustomer = useCallback(
    async (displayName: string) => {
      const created = await demoApi.createCustomer(displayName);
      setCustomers((list) => [...list, created]);
      signIn(created.id);
    },
    [signIn],
  );
  const refreshCustomers = useCallback(() => setRound((value) => value + 1), []);

  const session = useMemo((): Session | null => {
    // Until the list is in, the customer's name is unknown: wait rather than show their id first.
    if (token === null || token.customerId !== customerId || status === "loading") return null;
    const customer = customers.find((candidate) => candidate.id === customerId);
    return {
      customerId: token.customerId,
      name: customer === undefined ? token.customerId : nameOf(customer),
      plan: customer?.plan ?? null,
      client: clientFor(token.token),
    };
  }, [token, customerId, customers, status]);

  const signingIn =
    enabled && customerId !== null && session === null && signInError === null && status !== "error";
  return {
    customers,
    session,
    status,
    error: error ?? signInError,
    signingIn,
    signIn,
    signOut,
    createCustomer,
    refreshCustomers,
  };
}
