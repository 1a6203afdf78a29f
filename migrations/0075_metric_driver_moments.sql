-- Key-driver moments (appliance/metrics/moments.py): what Johnson's relative weights need,
-- summed like the other summaries so a dashboard never reads raw answers for its drivers.
-- keys: the survey version's overall question and driver questions, comma-separated
-- (outcome first); n: complete cases (every one of those answered with a number);
-- moments: a JSON array [sum of each variable..., upper triangle of the sums of products].
-- metric_drv_own: a unit's own responses per (survey, local day, keys);
-- metric_drv_tree: the same for each node's subtree by day ('D') and month ('M').
-- metric_drv_backfill: (unit, month) whose counted responses are still to be added (an
-- upgrade: the job runner fills them one unit-month per transaction; a fresh install has none).

CREATE TABLE metric_drv_own (
    unit_id INTEGER NOT NULL,
    survey_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    keys TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    moments TEXT NOT NULL,
    PRIMARY KEY (unit_id, survey_id, day, keys)
);

CREATE TABLE metric_drv_tree (
    node_id INTEGER NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('D', 'M')),
    period TEXT NOT NULL,
    survey_id INTEGER NOT NULL,
    keys TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    moments TEXT NOT NULL,
    PRIMARY KEY (node_id, grain, period, survey_id, keys)
);

CREATE TABLE metric_drv_backfill (
    unit_id INTEGER NOT NULL,
    month TEXT NOT NULL,
    PRIMARY KEY (unit_id, month)
);

INSERT INTO metric_drv_backfill (unit_id, month)
    SELECT DISTINCT unit_id, substr(day, 1, 7) FROM metric_counted;
