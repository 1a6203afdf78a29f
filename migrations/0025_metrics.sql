-- Metrics summaries, kept by the job runner from response events (appliance/metrics).
-- metric_own: each unit's own complete responses per (survey, local day, channel, language).
-- metric_tree: the same sums for a node's whole subtree, by day (grain 'D', period
-- YYYY-MM-DD) and by month (grain 'M', period YYYY-MM), so a query reads one node's rows.
-- metric_q_*: per question (n, sum, sum of squares, top-box and bottom-box counts).
-- metric_counted: which responses the sums hold (so an event seen twice counts once).
-- metric_paths: each unit's path as last rolled up (a moved unit is re-rolled).

CREATE TABLE metric_own (
    unit_id INTEGER NOT NULL,
    survey_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    responses INTEGER NOT NULL DEFAULT 0,
    nps_n INTEGER NOT NULL DEFAULT 0,
    promoters INTEGER NOT NULL DEFAULT 0,
    passives INTEGER NOT NULL DEFAULT 0,
    detractors INTEGER NOT NULL DEFAULT 0,
    csat_n INTEGER NOT NULL DEFAULT 0,
    csat_sum REAL NOT NULL DEFAULT 0,
    csat_sq REAL NOT NULL DEFAULT 0,
    csat_top2 INTEGER NOT NULL DEFAULT 0,
    ces_n INTEGER NOT NULL DEFAULT 0,
    ces_sum REAL NOT NULL DEFAULT 0,
    ces_sq REAL NOT NULL DEFAULT 0,
    ces_easy INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, survey_id, day, channel, language)
);

CREATE TABLE metric_tree (
    node_id INTEGER NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('D', 'M')),
    period TEXT NOT NULL,
    survey_id INTEGER NOT NULL,
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    responses INTEGER NOT NULL DEFAULT 0,
    nps_n INTEGER NOT NULL DEFAULT 0,
    promoters INTEGER NOT NULL DEFAULT 0,
    passives INTEGER NOT NULL DEFAULT 0,
    detractors INTEGER NOT NULL DEFAULT 0,
    csat_n INTEGER NOT NULL DEFAULT 0,
    csat_sum REAL NOT NULL DEFAULT 0,
    csat_sq REAL NOT NULL DEFAULT 0,
    csat_top2 INTEGER NOT NULL DEFAULT 0,
    ces_n INTEGER NOT NULL DEFAULT 0,
    ces_sum REAL NOT NULL DEFAULT 0,
    ces_sq REAL NOT NULL DEFAULT 0,
    ces_easy INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (node_id, grain, period, survey_id, channel, language)
);

CREATE TABLE metric_q_own (
    unit_id INTEGER NOT NULL,
    survey_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    question TEXT NOT NULL,          -- question key, "q4.row" for a matrix row
    n INTEGER NOT NULL DEFAULT 0,
    total REAL NOT NULL DEFAULT 0,
    squares REAL NOT NULL DEFAULT 0,
    top INTEGER NOT NULL DEFAULT 0,  -- top-2 box (promoters for NPS, "easy" for CES)
    bottom INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, survey_id, day, question)
);

CREATE TABLE metric_q_tree (
    node_id INTEGER NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('D', 'M')),
    period TEXT NOT NULL,
    survey_id INTEGER NOT NULL,
    question TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    total REAL NOT NULL DEFAULT 0,
    squares REAL NOT NULL DEFAULT 0,
    top INTEGER NOT NULL DEFAULT 0,
    bottom INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (node_id, grain, period, survey_id, question)
);

CREATE TABLE metric_counted (
    response_id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL,
    survey_id INTEGER NOT NULL,
    day TEXT NOT NULL
);
CREATE INDEX metric_counted_bucket ON metric_counted(unit_id, survey_id, day);

CREATE TABLE metric_paths (
    unit_id INTEGER PRIMARY KEY,
    path TEXT NOT NULL
);
