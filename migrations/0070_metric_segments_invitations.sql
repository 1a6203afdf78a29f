-- Hidden-field segments and invitations sent (appliance/metrics), kept like metric_own/tree.
-- metric_seg_own: a unit's own complete responses per (survey, local day, hidden field, value)
-- for the hidden fields named as segments (contrib.segments_of: a short list, never ids);
-- metric_seg_tree: the same for each node's subtree by day ('D') and month ('M').
-- metric_sent_own / metric_sent_tree: invitations sent and invitations answered (the
-- distribution domain's invitation.sent / invitation.responded events) per unit, survey and
-- local day; metric_sent_counted remembers which (invitation, event) the sums hold, so an
-- event delivered twice counts once.

CREATE TABLE metric_seg_own (
    unit_id INTEGER NOT NULL,
    survey_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
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
    PRIMARY KEY (unit_id, survey_id, day, field, value)
);

CREATE TABLE metric_seg_tree (
    node_id INTEGER NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('D', 'M')),
    period TEXT NOT NULL,
    survey_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
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
    PRIMARY KEY (node_id, field, value, grain, period, survey_id)
);

CREATE TABLE metric_sent_own (
    unit_id INTEGER NOT NULL,
    survey_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0,
    responded INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, survey_id, day)
);

CREATE TABLE metric_sent_tree (
    node_id INTEGER NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('D', 'M')),
    period TEXT NOT NULL,
    survey_id INTEGER NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0,
    responded INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (node_id, grain, period, survey_id)
);

CREATE TABLE metric_sent_counted (
    invitation_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sent', 'responded')),
    PRIMARY KEY (invitation_id, kind)
);
