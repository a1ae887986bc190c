/**
 * `verify`'s checks on purchases: each paid purchase granted exactly what its bundle version sold,
 * once, each refund took back only from that purchase's own holdings, never more than they held, and
 * each checkout that ended did so consistently.
 */
import type { LedgerCheck } from "./verify-repo.js";

export const PAYMENT_CHECKS: readonly LedgerCheck[] = [
  {
    name: "purchases_match_bundles",
    invariant: "each purchase's credits, bonus, price and currency are those of the bundle version it names",
    sql: `SELECT 'purchase ' || p.id || ' does not match bundle ' || p.bundle_id || ' v' || p.bundle_version
          FROM purchases p LEFT JOIN bundles b ON b.id = p.bundle_id AND b.version = p.bundle_version
          WHERE b.id IS NULL OR (b.spec ->> 'credits')::bigint <> p.credits_minor
             OR (b.spec ->> 'bonusCredits')::bigint <> p.bonus_minor OR (b.spec ->> 'price')::bigint <> p.price_minor
             OR b.spec ->> 'currency' <> p.currency
          ORDER BY p.id LIMIT 1`,
  },
  {
    name: "paid_purchases_granted_once",
    invariant:
      "each paid purchase's one grant credited exactly its credits (a purchased lot, or its buyer's gift balance) and its bonus (a promotional lot)",
    sql: `SELECT 'purchase ' || p.id || ' (' || p.state || ') granted ' || coalesce(g.lot_minor, 0) || ' purchased, '
                 || coalesce(g.gift_minor, 0) || ' to the gift balance and ' || coalesce(g.bonus_minor, 0)
                 || ' bonus, for ' || p.credits_minor || ' and ' || p.bonus_minor
          FROM purchases p
          LEFT JOIN transfers t ON t.id = p.grant_transfer_id
          LEFT JOIN LATERAL (
            SELECT sum(e.amount_minor) FILTER (WHERE e.lot_id = p.lot_id AND l.kind = 'purchased' AND l.source = 'purchase'
                     AND l.grant_transfer_id = t.id AND l.customer_id = p.customer_id) AS lot_minor,
                   sum(e.amount_minor) FILTER (WHERE e.lot_id = p.bonus_lot_id AND l.kind = 'promotional'
                     AND l.source = 'purchase' AND l.grant_transfer_id = t.id AND l.customer_id = p.customer_id) AS bonus_minor,
                   sum(e.amount_minor) FILTER (WHERE a.kind = 'gift_balance' AND a.holder_customer_id = p.customer_id) AS gift_minor,
                   sum(e.amount_minor) FILTER (WHERE a.kind IN ('wallet', 'gift_balance')) AS held_minor
            FROM entries e JOIN accounts a ON a.id = e.account_id LEFT JOIN lots l ON l.id = e.lot_id
            WHERE e.transfer_id = t.id) g ON true
          WHERE p.grant_transfer_id IS NOT NULL AND (
             t.id IS NULL OR t.customer_id IS DISTINCT FROM p.customer_id
             OR coalesce(g.held_minor, 0) <> p.credits_minor + p.bonus_minor
             OR coalesce(g.bonus_minor, 0) <> p.bonus_minor
             OR (p.as_gift AND coalesce(g.gift_minor, 0) <> p.credits_minor)
             OR (NOT p.as_gift AND coalesce(g.lot_minor, 0) <> p.credits_minor))
          ORDER BY p.id LIMIT 1`,
  },
  {
    name: "refunds_within_purchases",
    invariant:
      "each refund (or restore after a dispute won) is one event's, moves only its purchase's lots or buyer's gift balance, and all of a purchase's took back, net, exactly what it records, never more than it granted",
    sql: `WITH taken AS (
            SELECT ev.purchase_id, ev.transfer_id, e.account_id, e.lot_id, -e.amount_minor AS amount
            FROM payment_events ev JOIN entries e ON e.transfer_id = ev.transfer_id
            JOIN accounts a ON a.id = e.account_id
            WHERE ev.transfer_id IS NOT NULL AND a.kind IN ('wallet', 'gift_balance'))
          SELECT * FROM (
            SELECT t.kind || ' ' || t.id || ' belongs to no payment event' FROM transfers t
              WHERE t.kind IN ('refund', 'restore')
                AND NOT EXISTS (SELECT 1 FROM payment_events ev WHERE ev.transfer_id = t.id)
            UNION ALL
            SELECT 'refund ' || k.transfer_id || ' took from ' || k.account_id || ', not from purchase ' || k.purchase_id
              FROM taken k JOIN purchases p ON p.id = k.purchase_id JOIN accounts a ON a.id = k.account_id
              WHERE NOT ((k.lot_id IS NOT NULL AND k.lot_id IN (p.lot_id, p.bonus_lot_id))
                      OR (k.lot_id IS NULL AND p.as_gift AND a.kind = 'gift_balance' AND a.holder_customer_id = p.customer_id))
            UNION ALL
            SELECT 'purchase ' || p.id || ' records ' || p.recovered_minor || ' taken back but its refunds took '
                   || coalesce((SELECT sum(amount) FROM taken WHERE taken.purchase_id = p.id), 0)
              FROM purchases p
              WHERE p.recovered_minor <> coalesce((SELECT sum(amount) FROM taken WHERE taken.purchase_id = p.id), 0)
                 OR p.recovered_minor + p.unrecovered_minor > p.credits_minor + p.bonus_minor
          ) bad LIMIT 1`,
  },
  {
    name: "checkouts_end_consistently",
    invariant:
      "a purchase ended unpaid granted nothing and has no money refunded, and an operator's refund names a purchase that had a payment and was reviewed",
    sql: `SELECT 'purchase ' || p.id || CASE
                 WHEN p.state IN ('expired', 'failed')
                   THEN ' ended ' || p.state || ' but was granted or refunded'
                 ELSE ' holds refund ' || p.refund_id || ' without a payment or a review' END
          FROM purchases p
          WHERE (p.state IN ('expired', 'failed')
                 AND (p.grant_transfer_id IS NOT NULL OR p.refunded_minor > 0 OR p.recovered_minor > 0))
             OR (p.refund_id IS NOT NULL AND (p.payment_intent_id IS NULL OR p.review_reason IS NULL))
          ORDER BY p.id LIMIT 1`,
  },
];
