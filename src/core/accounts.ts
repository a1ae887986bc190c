import type { LotKind } from "./lots.js";

/**
 * System accounts have fixed ids. Their `sys_` prefix sorts after every wallet's `acc_` id, so the one
 * lock order (accounts by id) always takes wallets first and the shared system rows last and briefly.
 */
export const SYSTEM_ACCOUNTS = {
  promotions: "sys_promotions",
  sales: "sys_sales",
  compensation: "sys_compensation",
  consumption: "sys_consumption",
  breakage: "sys_breakage",
  giftEscrow: "sys_gift_escrow",
} as const;

export type SystemAccountName = keyof typeof SYSTEM_ACCOUNTS;
export type SystemAccountId = (typeof SYSTEM_ACCOUNTS)[SystemAccountName];

/** Where a granted lot's value comes from, by kind. */
export const ISSUER_BY_KIND: Readonly<Record<LotKind, SystemAccountId>> = {
  purchased: SYSTEM_ACCOUNTS.sales,
  promotional: SYSTEM_ACCOUNTS.promotions,
  compensation: SYSTEM_ACCOUNTS.compensation,
  gifted: SYSTEM_ACCOUNTS.giftEscrow,
  referral: SYSTEM_ACCOUNTS.promotions,
};

export function isSystemAccount(accountId: string): boolean {
  return accountId.startsWith("sys_");
}
