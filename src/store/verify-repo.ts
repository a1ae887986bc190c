/**
 * The ledger's invariants as set-based SQL. Each check recomputes from the posted entries (the only
 * source of truth) and returns the first row that disagrees, described in words, or nothing.
 */

import type { Queryable } from "./store.js";
import { PAYMENT_CHECKS } from "./verify-payments.js";

export interface LedgerCheck {
  readonly name: string;
  readonly invariant: string;
  readonly sql: string;
}

export const LEDGER_CHECKS: readonly LedgerCheck[] = [
  {
    name: "transfers_balance",
    invariant: "every transfer sums to zero and has at least two entries",
    sql: `SELECT 'transfer ' || transfer_id || ' sums to ' || sum(amount_minor) || ' over ' || count(*) || ' entries'
          FROM entries GROUP BY transfer_id HAVING sum(amount_minor) <> 0 OR count(*) < 2
          ORDER BY transfer_id LIMIT 1`,
  },
  {
    name: "transfers_have_entries",
    invariant: "every transfer has entries",
    sql: `SELECT 'transfer ' || t.id || ' has no entries' FROM transfers t
          WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.transfer_id = t.id) ORDER BY t.id LIMIT 1`,
  },
  {
    name: "entries_reference_known_rows",
    invariant: "every entry names an existing transfer, account and lot, and a lot of that account",
    sql: `SELECT 'entry ' || e.id || ' names ' || CASE WHEN t.id IS NULL THEN 'an unknown transfer ' || e.transfer_id
                 WHEN a.id IS NULL THEN 'an unknown account ' || e.account_id
                 WHEN e.lot_id IS NOT NULL AND l.id IS NULL THEN 'an unknown lot ' || e.lot_id
                 ELSE 'lot ' || e.lot_id || ' of another account' END
          FROM entries e
          LEFT JOIN transfers t ON t.id = e.transfer_id
          LEFT JOIN accounts a ON a.id = e.account_id
          LEFT JOIN lots l ON l.id = e.lot_id
          WHERE t.id IS NULL OR a.id IS NULL OR (e.lot_id IS NOT NULL AND (l.id IS NULL OR l.account_id <> e.account_id))
          ORDER BY e.id LIMIT 1`,
  },
  {
    name: "transfers_reference_known_customers",
    invariant: "every transfer names an existing customer, and its wallet entries are that customer's",
    sql: `SELECT 'transfer ' || t.id || ' names ' || CASE WHEN c.id IS NULL THEN 'an unknown customer ' || t.customer_id
                 ELSE 'customer ' || t.customer_id || ' but moves another wallet' END
          FROM transfers t LEFT JOIN customers c ON c.id = t.customer_id
          WHERE (t.customer_id IS NOT NULL AND c.id IS NULL)
             OR EXISTS (SELECT 1 FROM entries e JOIN accounts a ON a.id = e.account_id
                        WHERE e.transfer_id = t.id AND a.kind = 'wallet' AND a.customer_id IS DISTINCT FROM t.customer_id)
          ORDER BY t.id LIMIT 1`,
  },
  {
    name: "ledger_zero_sum",
    invariant: "the balances of all accounts sum to zero",
    sql: `SELECT 'all entries sum to ' || sum(amount_minor) FROM entries HAVING coalesce(sum(amount_minor), 0) <> 0`,
  },
  {
    name: "wallet_balance_matches_entries",
    invariant: "each wallet's stored balance equals the sum of its entries",
    sql: `SELECT 'wallet ' || a.id || ' stores ' || a.balance_minor || ' but its entries sum to ' || coalesce(s.total, 0)
          FROM accounts a LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM entries GROUP BY account_id) s
            ON s.account_id = a.id
          WHERE a.kind = 'wallet' AND a.balance_minor <> coalesce(s.total, 0) ORDER BY a.id LIMIT 1`,
  },
  {
    name: "lot_remaining_matches_entries",
    invariant: "each lot's remaining equals its amount minus what entries drew from it",
    sql: `SELECT 'lot ' || l.id || ' has remaining ' || l.remaining_minor || ' but its entries leave ' || coalesce(s.total, 0)
          FROM lots l LEFT JOIN (SELECT lot_id, sum(amount_minor) AS total FROM entries WHERE lot_id IS NOT NULL GROUP BY lot_id) s
            ON s.lot_id = l.id
          WHERE l.remaining_minor <> coalesce(s.total, 0) ORDER BY l.id LIMIT 1`,
  },
  {
    name: "lot_amount_matches_grant",
    invariant: "each lot's amount is what its grant transfer credited",
    sql: `SELECT 'lot ' || l.id || ' has amount ' || l.amount_minor || ' but its grant credited ' || coalesce(g.total, 0)
          FROM lots l LEFT JOIN (SELECT transfer_id, lot_id, sum(amount_minor) AS total FROM entries
                                 WHERE lot_id IS NOT NULL GROUP BY transfer_id, lot_id) g
            ON g.transfer_id = l.grant_transfer_id AND g.lot_id = l.id
          WHERE l.amount_minor <> coalesce(g.total, 0) ORDER BY l.id LIMIT 1`,
  },
  {
    name: "wallet_balance_matches_lots",
    invariant: "each wallet's balance equals the sum of its lots' remaining amounts",
    sql: `SELECT 'wallet ' || a.id || ' holds ' || a.balance_minor || ' but its lots hold ' || coalesce(s.total, 0)
          FROM accounts a LEFT JOIN (SELECT account_id, sum(remaining_minor) AS total FROM lots GROUP BY account_id) s
            ON s.account_id = a.id
          WHERE a.kind = 'wallet' AND a.balance_minor <> coalesce(s.total, 0) ORDER BY a.id LIMIT 1`,
  },
  {
    name: "nothing_negative",
    invariant:
      "no wallet, lot remaining or hold reservation is negative, and no lot reserves more than it has",
    sql: `SELECT * FROM (
            SELECT 'wallet ' || id || ' is negative: ' || balance_minor FROM accounts WHERE kind = 'wallet' AND balance_minor < 0
            UNION ALL
            SELECT 'lot ' || id || ' has remaining ' || remaining_minor || ' and held ' || held_minor FROM lots
              WHERE remaining_minor < 0 OR held_minor < 0 OR held_minor > remaining_minor OR remaining_minor > amount_minor
          ) bad LIMIT 1`,
  },
  {
    name: "held_matches_pending_holds",
    invariant: "each lot's held amount is what pending holds reserve of it",
    sql: `SELECT 'lot ' || l.id || ' has held ' || l.held_minor || ' but pending holds reserve ' || coalesce(s.total, 0)
          FROM lots l LEFT JOIN (
            SELECT a."lotId" AS lot_id, sum(a."amountMinor") AS total
            FROM holds h, jsonb_to_recordset(h.allocations) AS a("lotId" text, "amountMinor" bigint)
            WHERE h.status = 'pending' GROUP BY a."lotId") s ON s.lot_id = l.id
          WHERE l.held_minor <> coalesce(s.total, 0) ORDER BY l.id LIMIT 1`,
  },
  {
    name: "captures_match_holds",
    invariant: "each captured hold's capture transfer drew exactly the captured amount",
    sql: `SELECT 'hold ' || h.id || ' captured ' || h.captured_minor || ' but its transfer drew ' || coalesce(-s.total, 0)
          FROM holds h LEFT JOIN (SELECT transfer_id, sum(amount_minor) AS total FROM entries WHERE lot_id IS NOT NULL
                                  GROUP BY transfer_id) s ON s.transfer_id = h.capture_transfer_id
          WHERE h.status = 'captured' AND h.captured_minor <> coalesce(-s.total, 0) ORDER BY h.id LIMIT 1`,
  },
  {
    name: "reversals_mirror_originals",
    invariant: "each reversal books exactly the opposite of the transfer it reverses",
    sql: `SELECT 'reversal ' || r.id || ' does not mirror ' || r.reverses_transfer_id FROM transfers r
          WHERE r.kind = 'reverse' AND EXISTS (
            SELECT account_id, lot_id, sum(amount_minor) FROM (
              SELECT account_id, lot_id, amount_minor FROM entries WHERE transfer_id = r.id
              UNION ALL
              SELECT account_id, lot_id, amount_minor FROM entries WHERE transfer_id = r.reverses_transfer_id
            ) both_sides GROUP BY account_id, lot_id HAVING sum(amount_minor) <> 0)
          ORDER BY r.id LIMIT 1`,
  },
  {
    name: "purchased_stays_with_owner",
    invariant: "purchased lots lose value only by consumption, expiry, refund or reversal",
    sql: `SELECT 'purchased lot ' || l.id || ' was drawn by a ' || t.kind || ' transfer ' || t.id
          FROM entries e JOIN lots l ON l.id = e.lot_id JOIN transfers t ON t.id = e.transfer_id
          WHERE l.kind = 'purchased' AND e.amount_minor < 0 AND t.kind NOT IN ('consume', 'capture', 'expire', 'reverse', 'refund')
          ORDER BY e.id LIMIT 1`,
  },
  {
    name: "credit_charges_match_transfers",
    invariant:
      "each usage charge paid in credits has a consume transfer of its customer drawing exactly its price",
    sql: `SELECT 'charge ' || c.id || ' cost ' || c.credits_minor || ' credits but transfer ' || coalesce(c.transfer_id, '(none)')
                 || ' drew ' || coalesce(-s.total, 0)
          FROM usage_charges c
          LEFT JOIN transfers t ON t.id = c.transfer_id AND t.kind = 'consume' AND t.customer_id = c.customer_id
          LEFT JOIN (SELECT transfer_id, sum(amount_minor) AS total FROM entries WHERE lot_id IS NOT NULL
                     GROUP BY transfer_id) s ON s.transfer_id = t.id
          WHERE c.paid_by = 'credits' AND (t.id IS NULL OR c.credits_minor <> coalesce(-s.total, 0))
          ORDER BY c.customer_id, c.id LIMIT 1`,
  },
  {
    name: "gift_balances_match_entries",
    invariant: "each gift balance's stored balance equals the sum of its entries, and is not negative",
    sql: `SELECT 'gift balance ' || a.id || ' holds ' || a.balance_minor || ' but its entries sum to ' || coalesce(e.total, 0)
          FROM accounts a LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM entries GROUP BY account_id) e
            ON e.account_id = a.id
          WHERE a.kind = 'gift_balance' AND (a.balance_minor <> coalesce(e.total, 0) OR a.balance_minor < 0)
          ORDER BY a.id LIMIT 1`,
  },
  {
    name: "gift_escrow_matches_open_gifts",
    invariant: "the gift escrow holds exactly the value of the gifts not yet claimed, expired or revoked",
    sql: `SELECT 'gift escrow holds ' || coalesce((SELECT sum(amount_minor) FROM entries WHERE account_id = 'sys_gift_escrow'), 0)
                 || ' but open gifts are worth ' || coalesce((SELECT sum(amount_minor) FROM gifts WHERE status IN ('pending', 'review')), 0)
          WHERE coalesce((SELECT sum(amount_minor) FROM entries WHERE account_id = 'sys_gift_escrow'), 0)
             <> coalesce((SELECT sum(amount_minor) FROM gifts WHERE status IN ('pending', 'review')), 0)`,
  },
  {
    name: "gifts_settled_once",
    invariant:
      "each gift moved its value into escrow once, and out of it once when it was settled, by its own amount",
    sql: `SELECT 'gift ' || g.id || ' (' || g.status || ') does not match its transfers'
          FROM gifts g
          LEFT JOIN entries s ON s.transfer_id = g.send_transfer_id AND s.account_id = 'sys_gift_escrow'
          LEFT JOIN entries r ON r.transfer_id = g.settle_transfer_id AND r.account_id = 'sys_gift_escrow'
          LEFT JOIN lots l ON l.id = g.lot_id
          WHERE s.amount_minor IS DISTINCT FROM g.amount_minor
             OR (g.settle_transfer_id IS NOT NULL AND r.amount_minor IS DISTINCT FROM -g.amount_minor)
             OR (g.status = 'claimed' AND (l.amount_minor IS DISTINCT FROM g.amount_minor
                 OR l.grant_transfer_id IS DISTINCT FROM g.settle_transfer_id OR l.customer_id IS DISTINCT FROM g.recipient_id))
          ORDER BY g.id LIMIT 1`,
  },
  ...PAYMENT_CHECKS,
];

export async function runCheck(db: Queryable, check: LedgerCheck): Promise<string | null> {
  const rows = await db.query<Record<string, unknown>>(check.sql);
  const first = rows[0];
  if (first === undefined) return null;
  return String(Object.values(first)[0]);
}

export interface LedgerCounts {
  readonly transfers: bigint;
  readonly entries: bigint;
  readonly lots: bigint;
  readonly wallets: bigint;
}

export async function ledgerCounts(db: Queryable): Promise<LedgerCounts> {
  const rows = await db.query<LedgerCounts>(
    `SELECT (SELECT count(*) FROM transfers) AS transfers, (SELECT count(*) FROM entries) AS entries,
       (SELECT count(*) FROM lots) AS lots, (SELECT count(*) FROM accounts WHERE kind = 'wallet') AS wallets`,
  );
  const row = rows[0];
  if (row === undefined) throw new Error("counting the ledger returned no row");
  return row;
}
