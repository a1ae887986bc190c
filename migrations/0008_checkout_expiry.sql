-- Checkouts end: a session that expires unpaid, or a delayed payment that fails, ends its purchase;
-- an operator may refund a purchase in review through the provider; a dispute's outcome is kept, and
-- a dispute won gives back what it took (a `restore` transfer).

ALTER TABLE transfers DROP CONSTRAINT transfers_kind_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check
  CHECK (kind IN ('grant', 'consume', 'capture', 'expire', 'reverse', 'clawback', 'gift_fund', 'gift_send',
    'gift_claim', 'gift_return', 'refund', 'restore'));

-- When the session stops taking payment, fixed when the purchase is stored so that a retried request
-- to the provider is the same request. Purchases stored before this knew no such time: their
-- sessions lasted the provider's default of 24 hours.
ALTER TABLE purchases ADD COLUMN checkout_expires_at timestamptz;
UPDATE purchases SET checkout_expires_at = created_at + interval '24 hours' WHERE checkout_expires_at IS NULL;
ALTER TABLE purchases ALTER COLUMN checkout_expires_at SET NOT NULL;

-- When the customer completed the checkout with a payment still to clear (a bank debit): such a
-- purchase waits for the payment's outcome however long it takes, and is never swept as abandoned.
ALTER TABLE purchases ADD COLUMN session_completed_at timestamptz;

ALTER TABLE purchases DROP CONSTRAINT purchases_state_check;
ALTER TABLE purchases ADD CONSTRAINT purchases_state_check
  CHECK (state IN ('pending', 'paid', 'review', 'refunded', 'disputed', 'expired', 'failed'));
ALTER TABLE purchases DROP CONSTRAINT purchases_review_decision_check;
ALTER TABLE purchases ADD CONSTRAINT purchases_review_decision_check
  CHECK (review_decision IN ('grant', 'close', 'refund'));
-- The refund an operator asked the provider for, by the provider's id: at most one per purchase,
-- since it returns all that is left of the payment.
ALTER TABLE purchases ADD COLUMN refund_id text UNIQUE;
ALTER TABLE purchases ADD CONSTRAINT purchases_refund_id_length CHECK (length(refund_id) BETWEEN 1 AND 255);

-- The sweep reads only the pending purchases whose checkout is over.
CREATE INDEX purchases_checkout_due_idx ON purchases (checkout_expires_at)
  WHERE state = 'pending' AND session_completed_at IS NULL;

ALTER TABLE payment_events DROP CONSTRAINT payment_events_type_check;
ALTER TABLE payment_events ADD CONSTRAINT payment_events_type_check
  CHECK (type IN ('checkout_completed', 'checkout_expired', 'checkout_failed', 'charge_refunded',
    'dispute_created', 'dispute_closed', 'ignored'));

-- How the payment's dispute ended, as the provider said (`won`, `lost`, `warning_closed`, ...).
ALTER TABLE payment_intents ADD COLUMN dispute_status text CHECK (length(dispute_status) BETWEEN 1 AND 64);
