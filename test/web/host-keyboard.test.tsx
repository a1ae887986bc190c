// @vitest-environment happy-dom
/** Keyboard use of the demo shell: the profile menu's arrow keys and the picker's focus handling. */
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CustomerPicker } from "../../src/web/host/customer-picker.js";
import { nextMenuItem } from "../../src/web/host/demo-shell.js";

afterEach(cleanup);

describe("nextMenuItem", () => {
  const items = ["usage", "gifts", "invite"];
  it("moves down and up, wrapping at the ends", () => {
    expect(nextMenuItem(items, "usage", "ArrowDown")).toBe("gifts");
    expect(nextMenuItem(items, "invite", "ArrowDown")).toBe("usage");
    expect(nextMenuItem(items, "usage", "ArrowUp")).toBe("invite");
    expect(nextMenuItem(items, "gifts", "ArrowUp")).toBe("usage");
  });
  it("jumps to the ends, starts from the top when nothing is focused, ignores other keys", () => {
    expect(nextMenuItem(items, "gifts", "Home")).toBe("usage");
    expect(nextMenuItem(items, "gifts", "End")).toBe("invite");
    expect(nextMenuItem(items, null, "ArrowDown")).toBe("usage");
    expect(nextMenuItem(items, "gifts", "a")).toBeNull();
    expect(nextMenuItem([], null, "ArrowDown")).toBeNull();
  });
});

describe("CustomerPicker", () => {
  const customers = [
    { id: "demo-ada", displayName: "Ada", plan: "pro" },
    { id: "demo-linus", displayName: "Linus", plan: "free" },
  ];

  it("keeps Tab inside the dialog, closes on Escape and gives the focus back", () => {
    const opener = document.createElement("button");
    document.body.append(opener);
    opener.focus();
    const onClose = vi.fn();
    const { unmount } = render(
      <CustomerPicker
        customers={customers}
        currentId="demo-ada"
        onPick={() => undefined}
        onCreate={async () => undefined}
        onClose={onClose}
      />,
    );
    const close = screen.getByRole("button", { name: "Close" });
    expect(document.activeElement).toBe(close);
    const create = screen.getByRole("button", { name: "Create and act as" });
    create.focus();
    fireEvent.keyDown(window, { key: "Tab" });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(window, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(create);
    fireEvent.keyDown(window, { key: "Escape" });
    expect(onClose).toHaveBeenCalledTimes(1);
    unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});
