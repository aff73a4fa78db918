-- Version 3: the management review as a cycle, and risk acceptance.
--
-- A review is planned (planned_on, the period it covers, its chair) and then held (held_on, who
-- attended, the summary, and the three conclusions clause 9.3 expects: is the SMS suitable,
-- adequate, effective - each a verdict and a sentence). Its decisions are records of their own;
-- the figures its pack showed are kept when it is held. A risk can be accepted by a named
-- approver until an expiry date. A nonconformity's effectiveness check says when, by whom, how and
-- with what result it was made.

-- A planned review has no held_on yet. SQLite changes a column's constraints only by making the
-- table again; riskreg runs migrations with foreign keys off and checks them before it commits.
CREATE TABLE review_v3 (
    id             TEXT PRIMARY KEY COLLATE NOCASE,
    status         TEXT NOT NULL DEFAULT 'held' CHECK ((status = 'planned' OR status = 'held')),
    planned_on     TEXT CHECK (planned_on IS date(planned_on, '+0 days')),
    held_on        TEXT CHECK (held_on IS date(held_on, '+0 days')),
    title          TEXT NOT NULL CHECK (title <> ''),
    period         TEXT CHECK (period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
    chair          TEXT,
    attendees      TEXT,
    summary        TEXT,
    decisions      TEXT,
    suitable       TEXT CHECK ((suitable = 'yes' OR suitable = 'partly' OR suitable = 'no')),
    suitable_note  TEXT,
    adequate       TEXT CHECK ((adequate = 'yes' OR adequate = 'partly' OR adequate = 'no')),
    adequate_note  TEXT,
    effective      TEXT CHECK ((effective = 'yes' OR effective = 'partly' OR effective = 'no')),
    effective_note TEXT,
    CHECK ((status = 'held') = (held_on IS NOT NULL)),
    CHECK (held_on IS NOT NULL OR planned_on IS NOT NULL)
) STRICT;
INSERT INTO review_v3 (id, status, held_on, title, attendees, summary, decisions)
    SELECT id, 'held', held_on, title, attendees, summary, decisions FROM review;
DROP TABLE review;
ALTER TABLE review_v3 RENAME TO review;
CREATE TRIGGER review_id_in AFTER INSERT ON review BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'review'); END;
CREATE TRIGGER review_id_out AFTER DELETE ON review BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER review_id_fixed BEFORE UPDATE OF id ON review WHEN NEW.id IS NOT OLD.id BEGIN
    SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;

-- Opportunities are treated with their own words: exploit, enhance, share (or accept), as
-- threats are with mitigate, transfer, avoid (or accept). The risk table is made again for its
-- check; the rows are kept as they are.
CREATE TABLE risk_v3 (
    id                TEXT PRIMARY KEY COLLATE NOCASE,
    kind              TEXT NOT NULL DEFAULT 'risk' CHECK ((kind = 'risk' OR kind = 'opportunity')),
    title             TEXT NOT NULL CHECK (title <> ''),
    description       TEXT,
    category          TEXT,
    service           TEXT,
    owner             TEXT,
    status            TEXT NOT NULL DEFAULT 'open'
                      CHECK ((status = 'open' OR status = 'treating' OR status = 'accepted' OR
                              status = 'closed')),
    treatment         TEXT CHECK ((treatment = 'mitigate' OR treatment = 'accept' OR
                                   treatment = 'transfer' OR treatment = 'avoid' OR
                                   treatment = 'exploit' OR treatment = 'enhance' OR
                                   treatment = 'share')),
    controls          TEXT,
    created_on        TEXT NOT NULL CHECK (created_on IS date(created_on, '+0 days')),
    closed_on         TEXT CHECK (closed_on IS date(closed_on, '+0 days') AND closed_on >= created_on),
    review_every_days INTEGER CHECK (review_every_days BETWEEN 1 AND 3660),
    next_review_on    TEXT CHECK (next_review_on IS date(next_review_on, '+0 days')),
    CHECK ((status = 'closed') = (closed_on IS NOT NULL))
) STRICT;
INSERT INTO risk_v3 SELECT id, kind, title, description, category, service, owner, status,
    treatment, controls, created_on, closed_on, review_every_days, next_review_on FROM risk;
DROP TABLE risk;
ALTER TABLE risk_v3 RENAME TO risk;
CREATE TRIGGER risk_id_in AFTER INSERT ON risk BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'risk'); END;
CREATE TRIGGER risk_id_out AFTER DELETE ON risk BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER risk_id_fixed BEFORE UPDATE OF id ON risk WHEN NEW.id IS NOT OLD.id BEGIN
    SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;

-- A risk accepted as it is, by whom, why, at what level and score, and until when.
CREATE TABLE acceptance (
    id            TEXT PRIMARY KEY COLLATE NOCASE,
    risk_id       TEXT NOT NULL COLLATE NOCASE REFERENCES risk (id),
    status        TEXT NOT NULL DEFAULT 'accepted'
                  CHECK ((status = 'requested' OR status = 'accepted' OR status = 'rejected' OR
                          status = 'revoked' OR status = 'expired')),
    requested_on  TEXT CHECK (requested_on IS date(requested_on, '+0 days')),
    approver      TEXT,
    accepted_on   TEXT CHECK (accepted_on IS date(accepted_on, '+0 days')),
    expires_on    TEXT NOT NULL CHECK (expires_on IS date(expires_on, '+0 days')),
    level         TEXT,
    score         REAL,
    justification TEXT,
    note          TEXT,
    CHECK (status <> 'accepted' OR (approver IS NOT NULL AND accepted_on IS NOT NULL)),
    CHECK (accepted_on IS NULL OR expires_on > accepted_on)
) STRICT;
CREATE TRIGGER acceptance_id_in AFTER INSERT ON acceptance BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'acceptance'); END;
CREATE TRIGGER acceptance_id_out AFTER DELETE ON acceptance BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER acceptance_id_fixed BEFORE UPDATE OF id ON acceptance
    WHEN NEW.id IS NOT OLD.id BEGIN SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;

-- What a review decided, and what it led to.
CREATE TABLE review_decision (
    id             TEXT PRIMARY KEY COLLATE NOCASE,
    review_id      TEXT NOT NULL COLLATE NOCASE REFERENCES review (id),
    text           TEXT NOT NULL CHECK (text <> ''),
    kind           TEXT NOT NULL DEFAULT 'other'
                   CHECK ((kind = 'improvement' OR kind = 'sms_change' OR kind = 'resource' OR
                           kind = 'acceptance' OR kind = 'other')),
    owner          TEXT,
    due_on         TEXT CHECK (due_on IS date(due_on, '+0 days')),
    action_id      TEXT COLLATE NOCASE REFERENCES review_action (id),
    improvement_id TEXT COLLATE NOCASE REFERENCES improvement (id),
    acceptance_id  TEXT COLLATE NOCASE REFERENCES acceptance (id)
) STRICT;
CREATE TRIGGER review_decision_id_in AFTER INSERT ON review_decision BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'review_decision'); END;
CREATE TRIGGER review_decision_id_out AFTER DELETE ON review_decision BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER review_decision_id_fixed BEFORE UPDATE OF id ON review_decision
    WHEN NEW.id IS NOT OLD.id BEGIN SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;

-- The figures a held review's pack showed (JSON), kept as they were; their SHA-256 is in the
-- change log too, and `riskreg verify` checks both.
CREATE TABLE review_snapshot (
    review_id TEXT PRIMARY KEY COLLATE NOCASE REFERENCES review (id),
    as_of     TEXT NOT NULL CHECK (as_of IS date(as_of, '+0 days')),
    figures   TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER review_snapshot_no_update BEFORE UPDATE ON review_snapshot BEGIN
    SELECT RAISE(ABORT, 'a held review''s figures are kept as they were'); END;

-- The effectiveness check of a nonconformity's corrective action.
ALTER TABLE nonconformity ADD COLUMN checked_on TEXT CHECK (checked_on IS date(checked_on, '+0 days'));
ALTER TABLE nonconformity ADD COLUMN checked_by TEXT;
ALTER TABLE nonconformity ADD COLUMN check_method TEXT;
ALTER TABLE nonconformity ADD COLUMN similar_elsewhere TEXT;
