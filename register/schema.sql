-- riskreg register schema, version 1: the base every register starts from.
--
-- A new register gets this file and then every file in register/migrations/ in order; an older
-- register gets the migrations above its PRAGMA user_version. Both happen inside one transaction.
-- Column names are the CSV columns, the CLI fields and the Lua fields.
--
-- Enumerations are written as "x = 'a' OR x = 'b' ..." rather than "x IN ('a', 'b', ...)":
-- SQLite builds a temporary index for an IN list of three or more values on every insert.
--
-- Every date is ISO YYYY-MM-DD and a real calendar date: SQLite's date() normalises 2026-02-30
-- to 2026-03-02, so "x IS date(x, '+0 days')" holds only for real dates in canonical form.

CREATE TABLE setting (
    name  TEXT PRIMARY KEY,
    value ANY
) STRICT;

-- Every record ID in one place, so that IDs are unique across the whole register without regard
-- to case (they become file names on case-insensitive file systems).
CREATE TABLE record_id (
    id   TEXT PRIMARY KEY COLLATE NOCASE,
    kind TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE risk (
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
                                   treatment = 'transfer' OR treatment = 'avoid')),
    controls          TEXT,
    created_on        TEXT NOT NULL CHECK (created_on IS date(created_on, '+0 days')),
    closed_on         TEXT CHECK (closed_on IS date(closed_on, '+0 days') AND closed_on >= created_on),
    review_every_days INTEGER CHECK (review_every_days BETWEEN 1 AND 3660),
    next_review_on    TEXT CHECK (next_review_on IS date(next_review_on, '+0 days')),
    CHECK ((status = 'closed') = (closed_on IS NOT NULL))
) STRICT;

CREATE TABLE assessment (
    risk_id             TEXT NOT NULL COLLATE NOCASE REFERENCES risk (id),
    assessed_on         TEXT NOT NULL CHECK (assessed_on IS date(assessed_on, '+0 days')),
    likelihood          INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 6),
    impact              INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 6),
    residual_likelihood INTEGER CHECK (residual_likelihood BETWEEN 1 AND 6),
    residual_impact     INTEGER CHECK (residual_impact BETWEEN 1 AND 6),
    assessor            TEXT,
    note                TEXT,
    PRIMARY KEY (risk_id, assessed_on),
    CHECK ((residual_likelihood IS NULL) = (residual_impact IS NULL))
) STRICT;

CREATE TABLE improvement (
    id          TEXT PRIMARY KEY COLLATE NOCASE,
    title       TEXT NOT NULL CHECK (title <> ''),
    description TEXT,
    source      TEXT CHECK ((source = 'audit' OR source = 'incident' OR source = 'customer' OR
                             source = 'review' OR source = 'risk' OR source = 'staff' OR
                             source = 'other')),
    risk_id     TEXT COLLATE NOCASE REFERENCES risk (id),
    owner       TEXT,
    priority    TEXT CHECK ((priority = 'low' OR priority = 'medium' OR priority = 'high')),
    status      TEXT NOT NULL DEFAULT 'proposed'
                CHECK ((status = 'proposed' OR status = 'approved' OR status = 'in_progress' OR
                        status = 'done' OR status = 'rejected')),
    raised_on   TEXT NOT NULL CHECK (raised_on IS date(raised_on, '+0 days')),
    due_on      TEXT CHECK (due_on IS date(due_on, '+0 days')),
    done_on     TEXT CHECK (done_on IS date(done_on, '+0 days') AND done_on >= raised_on),
    benefit     TEXT,
    CHECK (status <> 'done' OR done_on IS NOT NULL),
    CHECK (done_on IS NULL OR (status = 'done' OR status = 'rejected'))
) STRICT;

CREATE TABLE audit (
    id      TEXT PRIMARY KEY COLLATE NOCASE,
    title   TEXT NOT NULL CHECK (title <> ''),
    kind    TEXT NOT NULL DEFAULT 'internal'
            CHECK ((kind = 'internal' OR kind = 'certification' OR kind = 'surveillance' OR
                    kind = 'supplier')),
    scope   TEXT,
    held_on TEXT NOT NULL CHECK (held_on IS date(held_on, '+0 days')),
    auditor TEXT,
    summary TEXT
) STRICT;

CREATE TABLE nonconformity (
    id                TEXT PRIMARY KEY COLLATE NOCASE,
    title             TEXT NOT NULL CHECK (title <> ''),
    description       TEXT,
    source            TEXT CHECK ((source = 'internal_audit' OR source = 'external_audit' OR
                                   source = 'incident' OR source = 'complaint' OR
                                   source = 'review' OR source = 'other')),
    audit_id          TEXT COLLATE NOCASE REFERENCES audit (id),
    severity          TEXT CHECK ((severity = 'major' OR severity = 'minor' OR
                                   severity = 'observation')),
    raised_on         TEXT NOT NULL CHECK (raised_on IS date(raised_on, '+0 days')),
    root_cause        TEXT,
    correction        TEXT,
    corrective_action TEXT,
    owner             TEXT,
    due_on            TEXT CHECK (due_on IS date(due_on, '+0 days')),
    closed_on         TEXT CHECK (closed_on IS date(closed_on, '+0 days') AND closed_on >= raised_on),
    effective         TEXT CHECK ((effective = 'yes' OR effective = 'no')),
    CHECK (effective IS NULL OR closed_on IS NOT NULL)
) STRICT;

CREATE TABLE kpi (
    id          TEXT PRIMARY KEY COLLATE NOCASE,
    name        TEXT NOT NULL CHECK (name <> ''),
    kind        TEXT NOT NULL DEFAULT 'service'
                CHECK ((kind = 'service' OR kind = 'customer' OR kind = 'supplier' OR
                        kind = 'objective' OR kind = 'process')),
    service     TEXT,
    party       TEXT,
    unit        TEXT,
    target      REAL,
    direction   TEXT NOT NULL DEFAULT 'higher' CHECK ((direction = 'higher' OR
                                                       direction = 'lower')),
    description TEXT
) STRICT;

CREATE TABLE measurement (
    kpi_id      TEXT NOT NULL COLLATE NOCASE REFERENCES kpi (id),
    measured_on TEXT NOT NULL CHECK (measured_on IS date(measured_on, '+0 days')),
    value       REAL NOT NULL,
    PRIMARY KEY (kpi_id, measured_on)
) STRICT;

CREATE TABLE review (
    id        TEXT PRIMARY KEY COLLATE NOCASE,
    held_on   TEXT NOT NULL CHECK (held_on IS date(held_on, '+0 days')),
    title     TEXT NOT NULL CHECK (title <> ''),
    attendees TEXT,
    summary   TEXT,
    decisions TEXT
) STRICT;

CREATE TABLE review_input (
    review_id TEXT NOT NULL COLLATE NOCASE REFERENCES review (id),
    input     TEXT NOT NULL CHECK ((input = 'previous_actions' OR input = 'context_changes' OR
                                    input = 'nonconformity_trends' OR
                                    input = 'measurement_trends' OR input = 'audit_results' OR
                                    input = 'improvement_opportunities' OR
                                    input = 'customer_feedback' OR input = 'policy' OR
                                    input = 'objectives' OR input = 'service_performance' OR
                                    input = 'other_parties' OR input = 'resources' OR
                                    input = 'risks')),
    text      TEXT NOT NULL,
    PRIMARY KEY (review_id, input)
) STRICT;

CREATE TABLE review_action (
    id        TEXT PRIMARY KEY COLLATE NOCASE,
    review_id TEXT NOT NULL COLLATE NOCASE REFERENCES review (id),
    text      TEXT NOT NULL CHECK (text <> ''),
    owner     TEXT,
    due_on    TEXT CHECK (due_on IS date(due_on, '+0 days')),
    status    TEXT NOT NULL DEFAULT 'open' CHECK ((status = 'open' OR status = 'done' OR
                                                   status = 'dropped')),
    closed_on TEXT CHECK (closed_on IS date(closed_on, '+0 days')),
    CHECK (status <> 'done' OR closed_on IS NOT NULL),
    CHECK (closed_on IS NULL OR (status = 'done' OR status = 'dropped'))
) STRICT;

-- Every change to the tables above, hash-chained: hash = SHA-256 over this entry's fields and
-- prev_hash (see src/changelog.c for the exact form). `riskreg verify` walks the chain.
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    row_key   TEXT NOT NULL,
    operation TEXT NOT NULL CHECK ((operation = 'insert' OR operation = 'update' OR
                                    operation = 'delete')),
    before    TEXT,
    after     TEXT,
    note      TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;

CREATE INDEX change_log_record ON change_log (record_id COLLATE NOCASE);
CREATE INDEX improvement_risk ON improvement (risk_id);
CREATE INDEX nonconformity_audit ON nonconformity (audit_id);
CREATE INDEX review_action_review ON review_action (review_id);

-- IDs are shared by all kinds and never change once given.
CREATE TRIGGER risk_id_in AFTER INSERT ON risk BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'risk'); END;
CREATE TRIGGER improvement_id_in AFTER INSERT ON improvement BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'improvement'); END;
CREATE TRIGGER audit_id_in AFTER INSERT ON audit BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'audit'); END;
CREATE TRIGGER nonconformity_id_in AFTER INSERT ON nonconformity BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'nonconformity'); END;
CREATE TRIGGER kpi_id_in AFTER INSERT ON kpi BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'kpi'); END;
CREATE TRIGGER review_id_in AFTER INSERT ON review BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'review'); END;
CREATE TRIGGER review_action_id_in AFTER INSERT ON review_action BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'review_action'); END;

CREATE TRIGGER risk_id_out AFTER DELETE ON risk BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER improvement_id_out AFTER DELETE ON improvement BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER audit_id_out AFTER DELETE ON audit BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER nonconformity_id_out AFTER DELETE ON nonconformity BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER kpi_id_out AFTER DELETE ON kpi BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER review_id_out AFTER DELETE ON review BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER review_action_id_out AFTER DELETE ON review_action BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;

CREATE TRIGGER risk_id_fixed BEFORE UPDATE OF id ON risk WHEN NEW.id IS NOT OLD.id BEGIN
    SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;
CREATE TRIGGER improvement_id_fixed BEFORE UPDATE OF id ON improvement
    WHEN NEW.id IS NOT OLD.id BEGIN SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;
CREATE TRIGGER audit_id_fixed BEFORE UPDATE OF id ON audit WHEN NEW.id IS NOT OLD.id BEGIN
    SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;
CREATE TRIGGER nonconformity_id_fixed BEFORE UPDATE OF id ON nonconformity
    WHEN NEW.id IS NOT OLD.id BEGIN SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;
CREATE TRIGGER kpi_id_fixed BEFORE UPDATE OF id ON kpi WHEN NEW.id IS NOT OLD.id BEGIN
    SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;
CREATE TRIGGER review_id_fixed BEFORE UPDATE OF id ON review WHEN NEW.id IS NOT OLD.id BEGIN
    SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;
CREATE TRIGGER review_action_id_fixed BEFORE UPDATE OF id ON review_action
    WHEN NEW.id IS NOT OLD.id BEGIN SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;

-- Ratings stay inside the configured matrix (setting 'matrix_size', kept in step with
-- riskreg.lua whenever the register is opened for writing).
CREATE TRIGGER assessment_in_matrix BEFORE INSERT ON assessment
    WHEN max(NEW.likelihood, NEW.impact, coalesce(NEW.residual_likelihood, 1),
             coalesce(NEW.residual_impact, 1)) >
         coalesce((SELECT value FROM setting WHERE name = 'matrix_size'), 6)
BEGIN SELECT RAISE(ABORT, 'rating outside the risk matrix'); END;
CREATE TRIGGER assessment_in_matrix_update BEFORE UPDATE ON assessment
    WHEN max(NEW.likelihood, NEW.impact, coalesce(NEW.residual_likelihood, 1),
             coalesce(NEW.residual_impact, 1)) >
         coalesce((SELECT value FROM setting WHERE name = 'matrix_size'), 6)
BEGIN SELECT RAISE(ABORT, 'rating outside the risk matrix'); END;

-- The change log is append-only for riskreg itself; `riskreg verify` catches edits made by other
-- means.
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only'); END;

PRAGMA user_version = 1;
