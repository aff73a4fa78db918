-- riskreg register version 5: where treatment plans live, and what each spreadsheet last said.
--
-- A risk gains its planned treatment (Markdown) and the date that plan is due; spreadsheets
-- carry both ("Action Plan", "Target Date") and had nowhere to put them.
ALTER TABLE risk ADD COLUMN action_plan TEXT;
ALTER TABLE risk ADD COLUMN target_on TEXT CHECK (target_on IS date(target_on, '+0 days'));

-- The value each field had in the sheet the last time a source was imported, so that importing
-- the same spreadsheet again can tell a change made in the sheet from one made in riskreg since
-- (which the sheet, unchanged, would otherwise undo). Bookkeeping of the import, not register
-- data: it is not in the change log, and losing it only makes the next import ask more.
CREATE TABLE import_baseline (
    source TEXT NOT NULL, -- the file's name without its folder; a workbook's adds '!SHEET'
    kind   TEXT NOT NULL,
    record TEXT NOT NULL COLLATE NOCASE, -- the record's ID
    sheet  TEXT NOT NULL CHECK (json_valid(sheet)), -- {"field": "value" or null, ...}
    PRIMARY KEY (source, kind, record)
) STRICT, WITHOUT ROWID;
