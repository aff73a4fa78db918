-- riskreg register schema on a PostgreSQL server, version 5.
--
-- The same tables, columns, primary keys, foreign keys and checks as register/schema.sql with
-- register/migrations/ applied, in PostgreSQL's words: INTEGER is BIGINT, REAL is DOUBLE
-- PRECISION, "x IS date(x, '+0 days')" is riskreg.is_date(x), and foreign keys are checked at
-- commit (a change arrives as one transaction, in no particular order of tables), and a table
-- with SQLite's rowid keeps it in row_order, so that rows come back in the order they came in
-- (reports list them in that order where nothing else orders them). What SQLite
-- does with triggers (record IDs kept in record_id, ratings inside the matrix, IDs that never
-- change) riskreg does in the copy of the register every command works on; the change log's
-- append-only guards are here too, and `riskreg verify` checks them. tests/server.sh checks
-- that the two schemas name the same tables and columns.
--
-- Every later version adds register/server/NNN-*.sql beside the SQLite migration of the same
-- number; riskreg.migrations records which have been applied.

CREATE SCHEMA riskreg;

CREATE TABLE riskreg.migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Writers take this table's lock for the whole of a change, so that the change log stays one
-- chain; generation counts the changes, so that a copy of the register knows it is out of date.
CREATE TABLE riskreg.writer_lock (
    one        INTEGER PRIMARY KEY CHECK (one = 1),
    generation BIGINT NOT NULL
);
INSERT INTO riskreg.writer_lock VALUES (1, 0);

-- A real calendar date in canonical form YYYY-MM-DD (NULL passes, as in SQLite's check). Plain
-- SQL, so that a check of many rows costs no subtransaction each.
CREATE FUNCTION riskreg.is_date(t TEXT) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS $$
    SELECT t IS NULL OR (t ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' AND
        substr(t, 1, 4) <> '0000' AND
        (substr(t, 9, 2) <= '28' OR
         (substr(t, 6, 2) <> '02' AND
          (substr(t, 9, 2) <= '30' OR substr(t, 6, 2) IN ('01', '03', '05', '07', '08', '10', '12'))) OR
         (substr(t, 9, 2) = '29' AND substr(t, 1, 4)::int % 4 = 0 AND
          (substr(t, 1, 4)::int % 100 <> 0 OR substr(t, 1, 4)::int % 400 = 0))))
$$;

-- JSON that parses (a value that does not is refused by the cast itself).
CREATE FUNCTION riskreg.is_json(t TEXT) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS $$
    SELECT t IS NULL OR t::json IS NOT NULL
$$;

CREATE TABLE riskreg.setting (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    name  TEXT PRIMARY KEY,
    value TEXT,
    type  TEXT NOT NULL DEFAULT 'text' -- what SQLite's ANY column held: integer, real or text
        CHECK ((type = 'integer' OR type = 'real' OR type = 'text' OR type = 'null'))
);

CREATE TABLE riskreg.record_id (
    id   TEXT PRIMARY KEY,
    kind TEXT NOT NULL
);
-- IDs are unique without regard to case, as SQLite's COLLATE NOCASE has them.
CREATE UNIQUE INDEX record_id_nocase ON riskreg.record_id (lower(id));

CREATE TABLE riskreg.risk (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id                TEXT PRIMARY KEY,
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
    created_on        TEXT NOT NULL CHECK (riskreg.is_date(created_on)),
    closed_on         TEXT CHECK (riskreg.is_date(closed_on) AND closed_on >= created_on),
    review_every_days BIGINT CHECK (review_every_days BETWEEN 1 AND 3660),
    next_review_on    TEXT CHECK (riskreg.is_date(next_review_on)), action_plan TEXT, target_on TEXT CHECK (riskreg.is_date(target_on)),
    CHECK ((status = 'closed') = (closed_on IS NOT NULL))
);

CREATE TABLE riskreg.assessment (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    risk_id             TEXT NOT NULL REFERENCES riskreg.risk (id) DEFERRABLE INITIALLY DEFERRED,
    assessed_on         TEXT NOT NULL CHECK (riskreg.is_date(assessed_on)),
    likelihood          BIGINT NOT NULL CHECK (likelihood BETWEEN 1 AND 6),
    impact              BIGINT NOT NULL CHECK (impact BETWEEN 1 AND 6),
    residual_likelihood BIGINT CHECK (residual_likelihood BETWEEN 1 AND 6),
    residual_impact     BIGINT CHECK (residual_impact BETWEEN 1 AND 6),
    assessor            TEXT,
    note                TEXT,
    PRIMARY KEY (risk_id, assessed_on),
    CHECK ((residual_likelihood IS NULL) = (residual_impact IS NULL))
);

CREATE TABLE riskreg.improvement (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL CHECK (title <> ''),
    description TEXT,
    source      TEXT CHECK ((source = 'audit' OR source = 'incident' OR source = 'customer' OR
                             source = 'review' OR source = 'risk' OR source = 'staff' OR
                             source = 'other')),
    risk_id     TEXT REFERENCES riskreg.risk (id) DEFERRABLE INITIALLY DEFERRED,
    owner       TEXT,
    priority    TEXT CHECK ((priority = 'low' OR priority = 'medium' OR priority = 'high')),
    status      TEXT NOT NULL DEFAULT 'proposed'
                CHECK ((status = 'proposed' OR status = 'approved' OR status = 'in_progress' OR
                        status = 'done' OR status = 'rejected')),
    raised_on   TEXT NOT NULL CHECK (riskreg.is_date(raised_on)),
    due_on      TEXT CHECK (riskreg.is_date(due_on)),
    done_on     TEXT CHECK (riskreg.is_date(done_on) AND done_on >= raised_on),
    benefit     TEXT,
    CHECK (status <> 'done' OR done_on IS NOT NULL),
    CHECK (done_on IS NULL OR (status = 'done' OR status = 'rejected'))
);

CREATE TABLE riskreg.certificate (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id         TEXT PRIMARY KEY,
    body       TEXT NOT NULL CHECK (body <> ''),
    number     TEXT,
    scope      TEXT,
    issued_on  TEXT NOT NULL CHECK (riskreg.is_date(issued_on)),
    expires_on TEXT NOT NULL CHECK (riskreg.is_date(expires_on) AND expires_on > issued_on),
    status     TEXT NOT NULL DEFAULT 'valid'
               CHECK ((status = 'valid' OR status = 'suspended' OR status = 'withdrawn' OR
                       status = 'expired'))
);

CREATE TABLE riskreg.audit (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL CHECK (title <> ''),
    kind           TEXT NOT NULL DEFAULT 'internal'
                   CHECK ((kind = 'internal' OR kind = 'certification' OR kind = 'surveillance' OR
                           kind = 'supplier')),
    status         TEXT NOT NULL DEFAULT 'held'
                   CHECK ((status = 'planned' OR status = 'held' OR status = 'cancelled')),
    scope          TEXT,
    requirements   TEXT,
    services       TEXT,
    planned_on     TEXT CHECK (riskreg.is_date(planned_on)),
    held_on        TEXT CHECK (riskreg.is_date(held_on)),
    auditor        TEXT,
    summary        TEXT,
    certificate_id TEXT REFERENCES riskreg.certificate (id) DEFERRABLE INITIALLY DEFERRED,
    CHECK ((status = 'held') = (held_on IS NOT NULL)),
    CHECK (held_on IS NOT NULL OR planned_on IS NOT NULL)
);

CREATE TABLE riskreg.requirement (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id         TEXT PRIMARY KEY,
    framework  TEXT NOT NULL CHECK (framework <> ''),
    clause     TEXT NOT NULL CHECK (clause <> ''),
    parent     TEXT REFERENCES riskreg.requirement (id) DEFERRABLE INITIALLY DEFERRED,
    heading    TEXT NOT NULL CHECK (heading <> ''),
    guidance   TEXT,
    assessable TEXT NOT NULL DEFAULT 'yes' CHECK ((assessable = 'yes' OR assessable = 'no')),
    CHECK (parent IS NULL OR parent <> id)
);

CREATE TABLE riskreg.nonconformity (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id                TEXT PRIMARY KEY,
    title             TEXT NOT NULL CHECK (title <> ''),
    description       TEXT,
    source            TEXT CHECK ((source = 'internal_audit' OR source = 'external_audit' OR
                                   source = 'incident' OR source = 'complaint' OR
                                   source = 'review' OR source = 'other')),
    audit_id          TEXT REFERENCES riskreg.audit (id) DEFERRABLE INITIALLY DEFERRED,
    severity          TEXT CHECK ((severity = 'major' OR severity = 'minor' OR
                                   severity = 'observation')),
    raised_on         TEXT NOT NULL CHECK (riskreg.is_date(raised_on)),
    root_cause        TEXT,
    correction        TEXT,
    corrective_action TEXT,
    owner             TEXT,
    due_on            TEXT CHECK (riskreg.is_date(due_on)),
    closed_on         TEXT CHECK (riskreg.is_date(closed_on) AND closed_on >= raised_on),
    effective         TEXT CHECK ((effective = 'yes' OR effective = 'no')), checked_on TEXT CHECK (riskreg.is_date(checked_on)), checked_by TEXT, check_method TEXT, similar_elsewhere TEXT, requirement_id TEXT REFERENCES riskreg.requirement (id) DEFERRABLE INITIALLY DEFERRED,
    CHECK (effective IS NULL OR closed_on IS NOT NULL)
);

CREATE TABLE riskreg.kpi (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    kind        TEXT NOT NULL DEFAULT 'service'
                CHECK ((kind = 'service' OR kind = 'customer' OR kind = 'supplier' OR
                        kind = 'objective' OR kind = 'process')),
    service     TEXT,
    party       TEXT,
    unit        TEXT,
    target      DOUBLE PRECISION,
    direction   TEXT NOT NULL DEFAULT 'higher' CHECK ((direction = 'higher' OR
                                                       direction = 'lower')),
    description TEXT
);

CREATE TABLE riskreg.measurement (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    kpi_id      TEXT NOT NULL REFERENCES riskreg.kpi (id) DEFERRABLE INITIALLY DEFERRED,
    measured_on TEXT NOT NULL CHECK (riskreg.is_date(measured_on)),
    value       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (kpi_id, measured_on)
);

CREATE TABLE riskreg.review (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id             TEXT PRIMARY KEY,
    status         TEXT NOT NULL DEFAULT 'held' CHECK ((status = 'planned' OR status = 'held')),
    planned_on     TEXT CHECK (riskreg.is_date(planned_on)),
    held_on        TEXT CHECK (riskreg.is_date(held_on)),
    title          TEXT NOT NULL CHECK (title <> ''),
    period         TEXT CHECK (period ~ '^[0-9]{4}-Q[1-4]$'),
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
);

CREATE TABLE riskreg.review_input (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    review_id TEXT NOT NULL REFERENCES riskreg.review (id) DEFERRABLE INITIALLY DEFERRED,
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
);

CREATE TABLE riskreg.review_action (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id        TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES riskreg.review (id) DEFERRABLE INITIALLY DEFERRED,
    text      TEXT NOT NULL CHECK (text <> ''),
    owner     TEXT,
    due_on    TEXT CHECK (riskreg.is_date(due_on)),
    status    TEXT NOT NULL DEFAULT 'open' CHECK ((status = 'open' OR status = 'done' OR
                                                   status = 'dropped')),
    closed_on TEXT CHECK (riskreg.is_date(closed_on)),
    CHECK (status <> 'done' OR closed_on IS NOT NULL),
    CHECK (closed_on IS NULL OR (status = 'done' OR status = 'dropped'))
);

CREATE TABLE riskreg.change_log (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    seq       BIGINT PRIMARY KEY,
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
);

CREATE TABLE riskreg.acceptance (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id            TEXT PRIMARY KEY,
    risk_id       TEXT NOT NULL REFERENCES riskreg.risk (id) DEFERRABLE INITIALLY DEFERRED,
    status        TEXT NOT NULL DEFAULT 'accepted'
                  CHECK ((status = 'requested' OR status = 'accepted' OR status = 'rejected' OR
                          status = 'revoked' OR status = 'expired')),
    requested_on  TEXT CHECK (riskreg.is_date(requested_on)),
    approver      TEXT,
    accepted_on   TEXT CHECK (riskreg.is_date(accepted_on)),
    expires_on    TEXT NOT NULL CHECK (riskreg.is_date(expires_on)),
    level         TEXT,
    score         DOUBLE PRECISION,
    justification TEXT,
    note          TEXT,
    CHECK (status <> 'accepted' OR (approver IS NOT NULL AND accepted_on IS NOT NULL)),
    CHECK (accepted_on IS NULL OR expires_on > accepted_on)
);

CREATE TABLE riskreg.review_decision (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id             TEXT PRIMARY KEY,
    review_id      TEXT NOT NULL REFERENCES riskreg.review (id) DEFERRABLE INITIALLY DEFERRED,
    text           TEXT NOT NULL CHECK (text <> ''),
    kind           TEXT NOT NULL DEFAULT 'other'
                   CHECK ((kind = 'improvement' OR kind = 'sms_change' OR kind = 'resource' OR
                           kind = 'acceptance' OR kind = 'other')),
    owner          TEXT,
    due_on         TEXT CHECK (riskreg.is_date(due_on)),
    action_id      TEXT REFERENCES riskreg.review_action (id) DEFERRABLE INITIALLY DEFERRED,
    improvement_id TEXT REFERENCES riskreg.improvement (id) DEFERRABLE INITIALLY DEFERRED,
    acceptance_id  TEXT REFERENCES riskreg.acceptance (id) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE riskreg.review_snapshot (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    review_id TEXT PRIMARY KEY REFERENCES riskreg.review (id) DEFERRABLE INITIALLY DEFERRED,
    as_of     TEXT NOT NULL CHECK (riskreg.is_date(as_of)),
    figures   TEXT NOT NULL,
    hash      TEXT NOT NULL
);

CREATE TABLE riskreg.import_baseline (
    source TEXT NOT NULL, -- the file's name without its folder; a workbook's adds '!SHEET'
    kind   TEXT NOT NULL,
    record TEXT NOT NULL, -- the record's ID
    sheet  TEXT NOT NULL CHECK (riskreg.is_json(sheet)), -- {"field": "value" or null, ...}
    PRIMARY KEY (source, kind, record)
);

CREATE TABLE riskreg.readiness (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    requirement_id TEXT NOT NULL REFERENCES riskreg.requirement (id) DEFERRABLE INITIALLY DEFERRED,
    assessed_on    TEXT NOT NULL CHECK (riskreg.is_date(assessed_on)),
    status         TEXT NOT NULL
                   CHECK ((status = 'not_assessed' OR status = 'not_addressed' OR
                           status = 'initial' OR status = 'defined' OR status = 'conforming' OR
                           status = 'not_applicable')),
    maturity       BIGINT CHECK (maturity BETWEEN 0 AND 5),
    owner          TEXT,
    evidence       TEXT,
    gap            TEXT,
    improvement_id TEXT REFERENCES riskreg.improvement (id) DEFERRABLE INITIALLY DEFERRED,
    target_on      TEXT CHECK (riskreg.is_date(target_on)),
    reason         TEXT,
    PRIMARY KEY (requirement_id, assessed_on),
    CHECK (status <> 'not_applicable' OR reason IS NOT NULL)
);

CREATE TABLE riskreg.document (
    row_order BIGINT NOT NULL, -- SQLite's rowid: the order the rows came in
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL CHECK (title <> ''),
    type           TEXT NOT NULL DEFAULT 'other'
                   CHECK ((type = 'policy' OR type = 'plan' OR type = 'process' OR
                           type = 'procedure' OR type = 'record' OR type = 'other')),
    owner          TEXT,
    version        TEXT,
    approved_on    TEXT CHECK (riskreg.is_date(approved_on)),
    approved_by    TEXT,
    next_review_on TEXT CHECK (riskreg.is_date(next_review_on)),
    location       TEXT,
    requirements   TEXT,
    CHECK ((approved_on IS NULL) = (approved_by IS NULL))
);

-- The change log's lookups (by record, by row) are made in the copy every command works on,
-- which has SQLite's indexes for them; here they would only slow every change down.
CREATE INDEX improvement_risk ON riskreg.improvement (risk_id);
CREATE INDEX nonconformity_audit ON riskreg.nonconformity (audit_id);
CREATE INDEX review_action_review ON riskreg.review_action (review_id);
CREATE INDEX requirement_parent ON riskreg.requirement (parent);

-- The change log is append-only: no role but the owner is granted UPDATE, DELETE or TRUNCATE
-- on it, and these triggers refuse them to the owner too. A held review's figures are kept as
-- they were. `riskreg verify` reports a guard that is missing or not as written here.
CREATE FUNCTION riskreg.append_only() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'riskreg: %', TG_ARGV[0] USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON riskreg.change_log
    FOR EACH ROW EXECUTE FUNCTION riskreg.append_only('the change log is append-only');
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON riskreg.change_log
    FOR EACH ROW EXECUTE FUNCTION riskreg.append_only('the change log is append-only');
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON riskreg.change_log
    FOR EACH STATEMENT EXECUTE FUNCTION riskreg.append_only('the change log is append-only');
CREATE TRIGGER review_snapshot_no_update BEFORE UPDATE ON riskreg.review_snapshot
    FOR EACH ROW EXECUTE FUNCTION riskreg.append_only('a held review''s figures are kept as they were');

-- Any change to the register, by riskreg or by other means, moves the generation on: a copy of
-- the register kept for the next command (in TMPDIR) is used only while it is the register.
CREATE FUNCTION riskreg.next_generation() RETURNS TRIGGER LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE riskreg.writer_lock SET generation = generation + 1;
    RETURN NULL;
END $$;
DO $$
DECLARE t TEXT;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'riskreg' AND
             tablename NOT IN ('migrations', 'writer_lock') LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON '
                       'riskreg.%I FOR EACH STATEMENT EXECUTE FUNCTION riskreg.next_generation()',
                       t || '_generation', t);
    END LOOP;
END $$;
