// @vitest-environment happy-dom
/**
 * The widgets rendered in a document: the limit banner (its reset button only with a banked reset,
 * and a countdown that moves with the clock), the usage windows card in each of its states, the
 * loading/error/empty/data views with their retry, and credits at the configured display scale.
 */
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Balance, WindowLine } from "../../sdk/client.js";
import { Loaded } from "../../src/web/components/ui.js";
import { ConfigProvider, Credits } from "../../src/web/lib/context.js";
import type { Resource } from "../../src/web/lib/resource.js";
import { LimitBanner } from "../../src/web/widgets/limit-banner.js";
import { CreditsCard, WindowsCard } from "../../src/web/widgets/usage-panel.js";

const NOW_MS = Date.UTC(2026, 5, 11, 9);
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const at = (offsetMs: number) => new Date(NOW_MS + offsetMs).toISOString();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
  vi.setSystemTime(NOW_MS);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const withScale = (displayScale: number, children: ReactNode) => (
  <ConfigProvider config={{ displayScale, demo: false }}>{children}</ConfigProvider>
);

describe("LimitBanner", () => {
  const banner = (props: Partial<Parameters<typeof LimitBanner>[0]> = {}) => {
    const onAddCredits = vi.fn();
    const onUseReset = vi.fn();
    render(
      <LimitBanner
        code="limit_reached"
        resetsAt={at(4 * HOUR_MS + 12 * MINUTE_MS)}
        resetsAvailable={0}
        onAddCredits={onAddCredits}
        onUseReset={onUseReset}
        {...props}
      />,
    );
    return { onAddCredits, onUseReset };
  };

  it("offers credits only, when no banked reset is held", () => {
    const { onAddCredits } = banner({ resetsAvailable: 0 });
    expect(screen.getByText("You've reached your usage limit")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Use a banked reset" })).toBeNull();
    expect(screen.queryByText(/banked reset/)).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Add credits" }));
    expect(onAddCredits).toHaveBeenCalledTimes(1);
  });

  it("offers a banked reset when one is held, and counts them", () => {
    const { onUseReset, onAddCredits } = banner({ resetsAvailable: 1 });
    expect(screen.getByText(/You have 1 banked reset\./)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Use a banked reset" }));
    expect(onUseReset).toHaveBeenCalledTimes(1);
    expect(onAddCredits).not.toHaveBeenCalled();
    cleanup();
    banner({ resetsAvailable: 3 });
    expect(screen.getByText(/You have 3 banked resets\./)).toBeTruthy();
  });

  it("shows the time until the window resets, and counts down as the clock moves", () => {
    banner();
    expect(screen.getByText(/It resets in 4h 12m\./)).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(2 * MINUTE_MS);
    });
    expect(screen.getByText(/It resets in 4h 10m\./)).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(4 * HOUR_MS + 9 * MINUTE_MS);
    });
    expect(screen.getByText(/It resets in 1m 00s\./)).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(2 * MINUTE_MS);
    });
    expect(screen.getByText(/It resets now\./)).toBeTruthy();
    expect(screen.queryByText(/resets in/)).toBeNull();
  });

  it("leaves the countdown out when no window will reset, and names an empty wallet", () => {
    banner({ code: "insufficient_credits", resetsAt: null, resetsAvailable: 2 });
    expect(screen.getByText("You're out of credits")).toBeTruthy();
    expect(screen.queryByText(/It resets in/)).toBeNull();
    expect(screen.getByRole("button", { name: "Use a banked reset" })).toBeTruthy();
  });

  it("disables both ways on while a request is in flight", () => {
    banner({ resetsAvailable: 1, busy: true });
    for (const name of ["Add credits", "Use a banked reset"]) {
      const button = screen.getByRole("button", { name });
      expect(button.hasAttribute("disabled")).toBe(true);
      expect(button.getAttribute("aria-busy")).toBe("true");
    }
  });
});

const reload = () => undefined;
const window5h = (used: number, resetsAt: string | null): WindowLine => ({
  windowId: "win_5h",
  meter: "messages",
  window: "5h",
  kind: "fixed",
  used,
  limit: 10,
  remaining: Math.max(0, 10 - used),
  resetsAt,
});
const weekly: WindowLine = {
  windowId: "win_weekly",
  meter: "messages",
  window: "weekly",
  kind: "calendar",
  used: 12,
  limit: 40,
  remaining: 28,
  resetsAt: at(3 * 24 * HOUR_MS + 5 * HOUR_MS),
};
const balanceOf = (windows: readonly WindowLine[] | undefined, extra: Partial<Balance> = {}): Balance => ({
  customerId: "cus_a",
  at: at(0),
  posted: 1250,
  credits: {
    available: 1250,
    held: 0,
    byKind: { purchased: 1000, promotional: 250, gifted: 0, referral: 0, compensation: 0 },
  },
  lots: [],
  ...(windows === undefined ? {} : { windows }),
  ...extra,
});
const ready = <T,>(data: T): Resource<T> => ({ state: "ready", data, reload });

describe("WindowsCard", () => {
  it("shows each window's use against its limit and when it resets", () => {
    render(
      <WindowsCard balance={ready(balanceOf([window5h(3, at(2 * HOUR_MS + 30 * MINUTE_MS)), weekly]))} />,
    );
    expect(screen.getByText("3 / 10 used")).toBeTruthy();
    expect(screen.getByText("12 / 40 used")).toBeTruthy();
    expect(screen.getByText("Resets in 2h 30m")).toBeTruthy();
    expect(screen.getByText("Resets in 3d 5h")).toBeTruthy();
    const meter = screen.getByRole("meter", { name: "messages 5h" });
    expect(meter.getAttribute("value")).toBe("3");
    expect(meter.getAttribute("max")).toBe("10");
  });

  it("says a window whose reset time has come resets now", () => {
    render(<WindowsCard balance={ready(balanceOf([window5h(10, at(30_000))]))} />);
    expect(screen.getByText("Resets in 30s")).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(MINUTE_MS);
    });
    expect(screen.getByText("Resets now")).toBeTruthy();
  });

  it("says a window not yet started starts with the next request, and a full one is full", () => {
    render(<WindowsCard balance={ready(balanceOf([window5h(12, null)]))} />);
    expect(screen.getByText("Starts with your next request")).toBeTruthy();
    const meter = screen.getByRole("meter", { name: "messages 5h" });
    expect(meter.getAttribute("value")).toBe("10");
    expect(meter.className).toContain("boon-meter-full");
  });

  it("names the banked resets and when the next one expires", () => {
    const resets = { available: 2, nextExpiresAt: "2026-07-11T12:00:00.000Z" };
    render(<WindowsCard balance={ready(balanceOf([weekly], { resets }))} />);
    expect(screen.getByText("2 banked resets, the next expires Jul 11, 2026")).toBeTruthy();
    cleanup();
    render(
      <WindowsCard balance={ready(balanceOf([weekly], { resets: { available: 0, nextExpiresAt: null } }))} />,
    );
    expect(screen.getByText("No banked resets")).toBeTruthy();
  });

  it("says so when the plan has no limits", () => {
    render(<WindowsCard balance={ready(balanceOf([]))} />);
    expect(screen.getByText("Your plan has no usage limits.")).toBeTruthy();
    cleanup();
    render(<WindowsCard balance={ready(balanceOf(undefined))} />);
    expect(screen.getByText("Your plan has no usage limits.")).toBeTruthy();
  });

  it("shows loading, then an error with a retry", () => {
    render(<WindowsCard balance={{ state: "loading", reload }} />);
    expect(screen.getByRole("status").textContent).toContain("Loading");
    cleanup();
    const retry = vi.fn();
    render(
      <WindowsCard balance={{ state: "error", message: "Boon is unavailable right now.", reload: retry }} />,
    );
    expect(screen.getByRole("alert").textContent).toContain("Boon is unavailable right now.");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalledTimes(1);
  });
});

describe("Loaded", () => {
  const show = (resource: Resource<readonly string[]>) =>
    render(
      <Loaded
        resource={resource}
        isEmpty={(rows) => rows.length === 0}
        empty="No rows yet."
        loadingLabel="Fetching rows…"
      >
        {(rows) => (
          <ul>
            {rows.map((row) => (
              <li key={row}>{row}</li>
            ))}
          </ul>
        )}
      </Loaded>,
    );

  it("shows its loading label and nothing of the data", () => {
    show({ state: "loading", reload });
    expect(screen.getByRole("status").textContent).toBe("Fetching rows…");
    expect(screen.queryByRole("list")).toBeNull();
  });

  it("shows the error's message and retries with the resource's reload", () => {
    const retry = vi.fn();
    show({ state: "error", message: "Could not reach Boon.", reload: retry });
    expect(screen.getByRole("alert").textContent).toContain("Could not reach Boon.");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalledTimes(2);
  });

  it("shows the data, or the empty message when there is none", () => {
    show(ready(["first", "second"]));
    expect(screen.getAllByRole("listitem").map((item) => item.textContent)).toEqual(["first", "second"]);
    cleanup();
    show(ready([]));
    expect(screen.getByText("No rows yet.")).toBeTruthy();
    expect(screen.queryByRole("list")).toBeNull();
  });

  it("uses its default words when given none", () => {
    render(<Loaded resource={{ state: "loading", reload }}>{() => null}</Loaded>);
    expect(screen.getByRole("status").textContent).toBe("Loading…");
    cleanup();
    render(
      <Loaded resource={ready(0)} isEmpty={(count) => count === 0}>
        {() => null}
      </Loaded>,
    );
    expect(screen.getByText("Nothing here yet.")).toBeTruthy();
  });
});

describe("credits at the display scale", () => {
  it("writes minor units with the configured decimals", () => {
    render(withScale(2, <Credits minor={1250} />));
    expect(screen.getByText("12.50 credits")).toBeTruthy();
    cleanup();
    render(withScale(0, <Credits minor={1250} unit={false} />));
    expect(screen.getByText("1,250")).toBeTruthy();
    cleanup();
    render(withScale(3, <Credits minor={-1250n} />));
    expect(screen.getByText("\u22121.250 credits")).toBeTruthy();
  });

  it("reads scale 0 when no configuration is given", () => {
    render(<Credits minor="123456" />);
    expect(screen.getByText("123,456 credits")).toBeTruthy();
  });

  it("writes the credits card's totals and lots at the scale", () => {
    const lot = (
      id: string,
      kind: Balance["lots"][number]["kind"],
      available: number,
      expiresAt: string | null,
    ) => ({
      id,
      kind,
      amount: available,
      remaining: available,
      held: 0,
      available,
      priority: 10,
      effectiveAt: at(-HOUR_MS),
      expiresAt,
      transferable: false,
      status: "active" as const,
    });
    const balance = balanceOf([], {
      credits: {
        available: 1250,
        held: 300,
        byKind: { purchased: 1000, promotional: 250, gifted: 0, referral: 0, compensation: 0 },
      },
      lots: [
        lot("lot_p", "purchased", 1000, null),
        lot("lot_q", "promotional", 250, "2026-07-11T12:00:00.000Z"),
      ],
    });
    render(withScale(2, <CreditsCard balance={ready(balance)} />));
    expect(screen.getByText("12.50 credits")).toBeTruthy();
    expect(screen.getByText("3.00")).toBeTruthy();
    expect(screen.getByText("10.00")).toBeTruthy();
    expect(screen.getByText("2.50")).toBeTruthy();
    expect(screen.getByText("Never")).toBeTruthy();
    expect(screen.getByText("Jul 11, 2026")).toBeTruthy();
  });
});
