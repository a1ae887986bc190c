/** The current time, ticking: for countdowns that must move while a page stays open. */
import { useEffect, useState } from "react";

export const TICK_MS_DEFAULT = 1000;

export function useNow(tickMs: number = TICK_MS_DEFAULT): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  return nowMs;
}
