-- The audit chain (issue 8): audit_events becomes append-only and
-- hash-chained. Services append events as before, unsealed; a sealer
-- (package auditlog, every 2 seconds in `ravao serve`, or `ravao audit
-- seal`) gives each, in seal order, the next seq and
-- hash = HMAC-SHA256(audit key, prev_hash || the event's fields), under a
-- key derived from the master key and never stored here. Instants are
-- BIGINT unix milliseconds, as in 00001 to 00008.

-- +goose Up
-- seq numbers sealed events from 1 without a gap, NULL until sealed;
-- prev_hash is the previous event's hash (32 zero bytes for seq 1), hash
-- the event's own. The unique index on seq makes two sealers unable to
-- fork the chain: the second to commit a seq fails and tries again.
ALTER TABLE audit_events ADD COLUMN seq BIGINT;
ALTER TABLE audit_events ADD COLUMN prev_hash BYTEA;
ALTER TABLE audit_events ADD COLUMN hash BYTEA;
CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq);
-- The sealer's queue: only the few events not sealed yet.
CREATE INDEX audit_events_unsealed ON audit_events (id) WHERE seq IS NULL;
CREATE INDEX audit_events_action ON audit_events (action, id);

-- Append-only: no event is ever deleted or truncated, and the only update
-- allowed seals an unsealed event, changing nothing but seq, prev_hash and
-- hash. A superuser can drop the triggers; the chain then shows what they
-- changed (`ravao audit verify`).
-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
		AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
		AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.user_id = OLD.user_id
		AND NEW.role = OLD.role AND NEW.action = OLD.action
		AND NEW.object_type = OLD.object_type AND NEW.object_id = OLD.object_id
		AND NEW.reason = OLD.reason AND NEW.request_id = OLD.request_id THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
	FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
	FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- +goose Down
DROP TRIGGER audit_events_no_truncate ON audit_events;
DROP TRIGGER audit_events_append_only ON audit_events;
DROP FUNCTION audit_events_append_only();
DROP INDEX audit_events_action;
DROP INDEX audit_events_unsealed;
DROP INDEX audit_events_seq;
ALTER TABLE audit_events DROP COLUMN hash;
ALTER TABLE audit_events DROP COLUMN prev_hash;
ALTER TABLE audit_events DROP COLUMN seq;
