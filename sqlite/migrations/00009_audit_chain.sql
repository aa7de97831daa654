-- The audit chain (issue 8): audit_events becomes append-only and
-- hash-chained. Services append events as before, unsealed; a sealer
-- (package auditlog, every 2 seconds in `ravao serve`, or `ravao audit
-- seal`) gives each, in seal order, the next seq and
-- hash = HMAC-SHA256(audit key, prev_hash || the event's fields), under a
-- key derived from the master key and never stored here. Instants are
-- INTEGER unix milliseconds, as in 00001 to 00008.

-- +goose Up
-- seq numbers sealed events from 1 without a gap, NULL until sealed;
-- prev_hash is the previous event's hash (32 zero bytes for seq 1), hash
-- the event's own. The unique index on seq makes two sealers unable to
-- fork the chain: the second to commit a seq fails and tries again.
ALTER TABLE audit_events ADD COLUMN seq INTEGER;
ALTER TABLE audit_events ADD COLUMN prev_hash BLOB;
ALTER TABLE audit_events ADD COLUMN hash BLOB;
CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq);
-- The sealer's queue: only the few events not sealed yet.
CREATE INDEX audit_events_unsealed ON audit_events (id) WHERE seq IS NULL;
CREATE INDEX audit_events_action ON audit_events (action, id);

-- Append-only: no event is ever deleted, and the only update allowed
-- seals an unsealed event, changing nothing but seq, prev_hash and hash.
-- Someone with the file can drop these triggers; the chain then shows
-- what they changed (`ravao audit verify`).
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only: events are never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_seal_only BEFORE UPDATE ON audit_events
WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL
	OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.user_id IS NOT OLD.user_id
	OR NEW.role IS NOT OLD.role OR NEW.action IS NOT OLD.action
	OR NEW.object_type IS NOT OLD.object_type OR NEW.object_id IS NOT OLD.object_id
	OR NEW.reason IS NOT OLD.reason OR NEW.request_id IS NOT OLD.request_id
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only: only sealing an unsealed event is allowed');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_events_seal_only;
DROP TRIGGER audit_events_no_delete;
DROP INDEX audit_events_action;
DROP INDEX audit_events_unsealed;
DROP INDEX audit_events_seq;
ALTER TABLE audit_events DROP COLUMN hash;
ALTER TABLE audit_events DROP COLUMN prev_hash;
ALTER TABLE audit_events DROP COLUMN seq;
