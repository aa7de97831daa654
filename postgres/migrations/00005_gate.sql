-- Gates (issue 5): the gate console lists a checkpoint's latest scans.

-- +goose Up
CREATE INDEX visits_checkpoint_in ON visits (checkpoint_id, in_at);
DROP INDEX visits_checkpoint;

-- +goose Down
CREATE INDEX visits_checkpoint ON visits (checkpoint_id);
DROP INDEX visits_checkpoint_in;
