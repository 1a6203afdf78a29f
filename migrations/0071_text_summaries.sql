-- Text summaries for the /text page (appliance/text/summary.py), kept in the same
-- transaction as every write to text_items / text_terms, so they always equal a
-- recomputation: text_sum_own counts each unit's items (kind 'item', term '') and their
-- keywords ('word') and tags ('tag') per UTC day (occurred_at's date, as the page shows),
-- source, channel, survey (0: none) and sentiment; text_sum_tree the same sums for each
-- node's whole subtree by day ('D', YYYY-MM-DD) and month ('M', YYYY-MM); text_sum_paths
-- each unit's path as last rolled up (a moved unit is re-rolled, as metrics does).

CREATE TABLE text_sum_own (
    unit_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('item', 'word', 'tag')),
    term TEXT NOT NULL,
    source TEXT NOT NULL,
    channel TEXT NOT NULL,
    survey_id INTEGER NOT NULL,
    sentiment TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, day, kind, term, source, channel, survey_id, sentiment)
) WITHOUT ROWID;

CREATE TABLE text_sum_tree (
    node_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('item', 'word', 'tag')),
    grain TEXT NOT NULL CHECK (grain IN ('D', 'M')),
    period TEXT NOT NULL,
    term TEXT NOT NULL,
    source TEXT NOT NULL,
    channel TEXT NOT NULL,
    survey_id INTEGER NOT NULL,
    sentiment TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (node_id, kind, grain, period, term, source, channel, survey_id, sentiment)
) WITHOUT ROWID;

-- text_sum_all: the tree's sums over every source, channel and survey (what the page shows
-- unfiltered): one row per node, kind, period and term, with its negative/positive counts
CREATE TABLE text_sum_all (
    node_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    grain TEXT NOT NULL,
    period TEXT NOT NULL,
    term TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    negative INTEGER NOT NULL DEFAULT 0,
    positive INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (node_id, kind, grain, period, term)
) WITHOUT ROWID;

-- what the writes changed, waiting to be folded into the sums by the job runner
-- (summary.fold: one transaction folds and deletes them, so each counts once)
CREATE TABLE text_sum_pending (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    term TEXT NOT NULL,
    source TEXT NOT NULL,
    channel TEXT NOT NULL,
    survey_id INTEGER NOT NULL,
    sentiment TEXT NOT NULL,
    n INTEGER NOT NULL
);

CREATE TABLE text_sum_paths (
    unit_id INTEGER PRIMARY KEY,
    path TEXT NOT NULL
);

-- an upgrade fills them from the items already analysed (text.summary.rebuild does the same)
INSERT INTO text_sum_own (unit_id, day, kind, term, source, channel, survey_id, sentiment, n)
SELECT i.unit_id, substr(i.occurred_at, 1, 10), 'item', '', i.source, i.channel,
       COALESCE(i.survey_id, 0), i.sentiment, COUNT(*)
FROM text_items i GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO text_sum_own (unit_id, day, kind, term, source, channel, survey_id, sentiment, n)
SELECT i.unit_id, substr(i.occurred_at, 1, 10), t.kind, t.term, i.source, i.channel,
       COALESCE(i.survey_id, 0), i.sentiment, COUNT(*)
FROM text_items i JOIN text_terms t ON t.item_id = i.id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO text_sum_paths (unit_id, path) SELECT id, path FROM units;

-- each unit's ancestors and itself, from the parent links
CREATE TEMP TABLE text_ancestors AS
WITH RECURSIVE up (unit_id, node_id) AS (
    SELECT id, id FROM units
    UNION ALL
    SELECT up.unit_id, u.parent_id FROM up JOIN units u ON u.id = up.node_id
    WHERE u.parent_id IS NOT NULL)
SELECT unit_id, node_id FROM up;

INSERT INTO text_sum_tree (node_id, kind, grain, period, term, source, channel, survey_id,
                           sentiment, n)
SELECT a.node_id, o.kind, 'D', o.day, o.term, o.source, o.channel, o.survey_id, o.sentiment,
       SUM(o.n)
FROM text_sum_own o JOIN text_ancestors a ON a.unit_id = o.unit_id
GROUP BY a.node_id, o.kind, o.day, o.term, o.source, o.channel, o.survey_id, o.sentiment;

DROP TABLE temp.text_ancestors;

INSERT INTO text_sum_tree (node_id, kind, grain, period, term, source, channel, survey_id,
                           sentiment, n)
SELECT node_id, kind, 'M', substr(period, 1, 7), term, source, channel, survey_id, sentiment,
       SUM(n)
FROM text_sum_tree WHERE grain = 'D'
GROUP BY node_id, kind, substr(period, 1, 7), term, source, channel, survey_id, sentiment;

INSERT INTO text_sum_all (node_id, kind, grain, period, term, n, negative, positive)
SELECT node_id, kind, grain, period, term, SUM(n),
       SUM(CASE WHEN sentiment = 'negative' THEN n ELSE 0 END),
       SUM(CASE WHEN sentiment = 'positive' THEN n ELSE 0 END)
FROM text_sum_tree GROUP BY node_id, kind, grain, period, term;
