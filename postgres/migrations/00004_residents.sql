-- Residents (issue 4): a commune official who declares a resident on their
-- behalf is recorded on the person, so that the official can list the
-- residents they registered and print their QR cards in a batch.

-- +goose Up
-- Most people register themselves; the index holds only the others.
ALTER TABLE people ADD COLUMN registered_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX people_registered_by ON people (registered_by, id) WHERE registered_by IS NOT NULL;

-- +goose Down
DROP INDEX people_registered_by;
ALTER TABLE people DROP COLUMN registered_by;
