-- riskreg register version 5: the way to certification and keeping it.
--
-- A framework's requirements (ISO/IEC 20000-1's clauses, or another standard's) as records; the
-- readiness of each requirement on a date, with its evidence and the gap; the documented
-- information the SMS keeps (7.5); the certificate; and audits that are planned ahead with their
-- scope as requirements and services, so that the audit programme's coverage can be shown.

-- A requirement node of a framework. Its ID carries the framework (20000-8.7.3): IDs are unique
-- across the register, and two standards share clause numbers. parent is the enclosing clause;
-- a heading that only groups others is not assessable.
CREATE TABLE requirement (
    id         TEXT PRIMARY KEY COLLATE NOCASE,
    framework  TEXT NOT NULL CHECK (framework <> ''),
    clause     TEXT NOT NULL CHECK (clause <> ''),
    parent     TEXT COLLATE NOCASE REFERENCES requirement (id),
    heading    TEXT NOT NULL CHECK (heading <> ''),
    guidance   TEXT,
    assessable TEXT NOT NULL DEFAULT 'yes' CHECK ((assessable = 'yes' OR assessable = 'no')),
    CHECK (parent IS NULL OR parent <> id)
) STRICT;
CREATE INDEX requirement_parent ON requirement (parent);
CREATE TRIGGER requirement_id_in AFTER INSERT ON requirement BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'requirement'); END;
CREATE TRIGGER requirement_id_out AFTER DELETE ON requirement BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER requirement_id_fixed BEFORE UPDATE OF id ON requirement
    WHEN NEW.id IS NOT OLD.id BEGIN SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;

-- How ready a requirement is on a date: a dated fact, like a risk's assessment, so that the
-- readiness on any past date is its latest row on or before it.
CREATE TABLE readiness (
    requirement_id TEXT NOT NULL COLLATE NOCASE REFERENCES requirement (id),
    assessed_on    TEXT NOT NULL CHECK (assessed_on IS date(assessed_on, '+0 days')),
    status         TEXT NOT NULL
                   CHECK ((status = 'not_assessed' OR status = 'not_addressed' OR
                           status = 'initial' OR status = 'defined' OR status = 'conforming' OR
                           status = 'not_applicable')),
    maturity       INTEGER CHECK (maturity BETWEEN 0 AND 5),
    owner          TEXT,
    evidence       TEXT,
    gap            TEXT,
    improvement_id TEXT COLLATE NOCASE REFERENCES improvement (id),
    target_on      TEXT CHECK (target_on IS date(target_on, '+0 days')),
    reason         TEXT,
    PRIMARY KEY (requirement_id, assessed_on),
    CHECK (status <> 'not_applicable' OR reason IS NOT NULL)
) STRICT;

-- Documented information (7.5): what it is, who owns and approved it, when it is next reviewed,
-- where it lives and which requirements it serves (requirement IDs, separated by commas).
CREATE TABLE document (
    id             TEXT PRIMARY KEY COLLATE NOCASE,
    title          TEXT NOT NULL CHECK (title <> ''),
    type           TEXT NOT NULL DEFAULT 'other'
                   CHECK ((type = 'policy' OR type = 'plan' OR type = 'process' OR
                           type = 'procedure' OR type = 'record' OR type = 'other')),
    owner          TEXT,
    version        TEXT,
    approved_on    TEXT CHECK (approved_on IS date(approved_on, '+0 days')),
    approved_by    TEXT,
    next_review_on TEXT CHECK (next_review_on IS date(next_review_on, '+0 days')),
    location       TEXT,
    requirements   TEXT,
    CHECK ((approved_on IS NULL) = (approved_by IS NULL))
) STRICT;
CREATE TRIGGER document_id_in AFTER INSERT ON document BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'document'); END;
CREATE TRIGGER document_id_out AFTER DELETE ON document BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER document_id_fixed BEFORE UPDATE OF id ON document
    WHEN NEW.id IS NOT OLD.id BEGIN SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;

-- The certificate: who issued it, for what, and for how long.
CREATE TABLE certificate (
    id         TEXT PRIMARY KEY COLLATE NOCASE,
    body       TEXT NOT NULL CHECK (body <> ''),
    number     TEXT,
    scope      TEXT,
    issued_on  TEXT NOT NULL CHECK (issued_on IS date(issued_on, '+0 days')),
    expires_on TEXT NOT NULL CHECK (expires_on IS date(expires_on, '+0 days') AND expires_on > issued_on),
    status     TEXT NOT NULL DEFAULT 'valid'
               CHECK ((status = 'valid' OR status = 'suspended' OR status = 'withdrawn' OR
                       status = 'expired'))
) STRICT;
CREATE TRIGGER certificate_id_in AFTER INSERT ON certificate BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'certificate'); END;
CREATE TRIGGER certificate_id_out AFTER DELETE ON certificate BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER certificate_id_fixed BEFORE UPDATE OF id ON certificate
    WHEN NEW.id IS NOT OLD.id BEGIN SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;

-- An audit is planned ahead (planned_on, status planned) and then held (held_on); its scope is
-- also said as requirement IDs and services, for the programme's coverage; an external audit
-- names the certificate it is for. A planned audit has no held_on yet, so the table is made
-- again (migrations run with foreign keys off; riskreg checks them before it commits).
CREATE TABLE audit_v5 (
    id             TEXT PRIMARY KEY COLLATE NOCASE,
    title          TEXT NOT NULL CHECK (title <> ''),
    kind           TEXT NOT NULL DEFAULT 'internal'
                   CHECK ((kind = 'internal' OR kind = 'certification' OR kind = 'surveillance' OR
                           kind = 'supplier')),
    status         TEXT NOT NULL DEFAULT 'held'
                   CHECK ((status = 'planned' OR status = 'held' OR status = 'cancelled')),
    scope          TEXT,
    requirements   TEXT,
    services       TEXT,
    planned_on     TEXT CHECK (planned_on IS date(planned_on, '+0 days')),
    held_on        TEXT CHECK (held_on IS date(held_on, '+0 days')),
    auditor        TEXT,
    summary        TEXT,
    certificate_id TEXT COLLATE NOCASE REFERENCES certificate (id),
    CHECK ((status = 'held') = (held_on IS NOT NULL)),
    CHECK (held_on IS NOT NULL OR planned_on IS NOT NULL)
) STRICT;
INSERT INTO audit_v5 (id, title, kind, status, scope, held_on, auditor, summary)
    SELECT id, title, kind, 'held', scope, held_on, auditor, summary FROM audit;
DROP TABLE audit;
ALTER TABLE audit_v5 RENAME TO audit;
CREATE TRIGGER audit_id_in AFTER INSERT ON audit BEGIN
    INSERT INTO record_id VALUES (NEW.id, 'audit'); END;
CREATE TRIGGER audit_id_out AFTER DELETE ON audit BEGIN
    DELETE FROM record_id WHERE id = OLD.id; END;
CREATE TRIGGER audit_id_fixed BEFORE UPDATE OF id ON audit WHEN NEW.id IS NOT OLD.id BEGIN
    SELECT RAISE(ABORT, 'record IDs cannot be changed'); END;

-- The requirement a nonconformity breaches, for the coverage view's findings.
ALTER TABLE nonconformity ADD COLUMN requirement_id TEXT COLLATE NOCASE REFERENCES requirement (id);
