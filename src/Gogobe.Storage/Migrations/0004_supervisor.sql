-- The supervisor: durable runs and tasks (one task per chain in a run). Every state change is one guarded UPDATE
-- (WHERE state = expected), so two processes can never both finish, lease or requeue the same row.

CREATE TABLE runs (
    id              uuid PRIMARY KEY,
    state           text NOT NULL DEFAULT 'QUEUED'
                    CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED', 'ORPHANED')),
    reason          text,
    -- What the run was asked to do (force, batch size, max rejected share, proxy, chains, demo simulator address):
    -- a worker in another process rebuilds the run's options from this alone.
    settings        jsonb NOT NULL,
    abort_requested boolean NOT NULL DEFAULT false,
    submitted_by    text NOT NULL,
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz
);

-- At most one active run at a time, whichever process submits it: the schedule and the API cannot start a second.
CREATE UNIQUE INDEX runs_one_active_idx ON runs ((true)) WHERE state IN ('QUEUED', 'RUNNING');
CREATE INDEX runs_created_idx ON runs (created_at DESC);

CREATE TABLE tasks (
    id              uuid PRIMARY KEY,
    run_id          uuid NOT NULL REFERENCES runs (id),
    chain_id        text NOT NULL,
    chain_name      text NOT NULL,
    state           text NOT NULL DEFAULT 'QUEUED'
                    CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED', 'ORPHANED')),
    reason          text,
    attempt         integer NOT NULL DEFAULT 1,
    max_attempts    integer NOT NULL CHECK (max_attempts >= 1),
    progress        smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    phase           text,
    result          jsonb,
    worker_id       text,
    heartbeat_at    timestamptz,
    abort_requested boolean NOT NULL DEFAULT false,
    timeout_seconds integer NOT NULL CHECK (timeout_seconds >= 1),
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    CONSTRAINT tasks_run_chain_key UNIQUE (run_id, chain_id)
);

-- Leasing takes the oldest queued task; rescue scans running tasks' heartbeats. Both stay small partial indexes.
CREATE INDEX tasks_queued_idx ON tasks (created_at, id) WHERE state = 'QUEUED';
CREATE INDEX tasks_running_idx ON tasks (heartbeat_at) WHERE state IN ('RUNNING', 'ORPHANED');

CREATE TABLE workers (
    id           text PRIMARY KEY,
    host         text NOT NULL,
    pid          integer NOT NULL,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL
);
