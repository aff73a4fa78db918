#!/usr/bin/env bash
# tests/xlsx_import.sh - `riskreg import` of Excel workbooks (.xlsx): the export read back, a
# workbook as people make them (title row, merged cells, shared, inline and rich-text strings,
# date formats, formulas, booleans), --sheet and --kind auto, messages naming the cell
# (Risks!C3), and hostile files refused with nothing written.
#
# The workbooks are made here: by `riskreg export --format xlsx`, or part by part with python's
# zipfile (mk.py below), which gives the XML exactly as Excel writes it, cached formula values
# included (openpyxl saves formulas without them).
source "$(dirname "$0")/lib.sh"
DEMO="$HERE/../register/demo"

PY=""
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import zipfile' 2>/dev/null; then PY=$p; break; fi
done

q() { sql "$1/register.db" "$2"; }
count() { q "$1" "SELECT count(*) FROM $2"; }

# ---- making workbooks -----------------------------------------------------------------------
cat >mk.py <<'EOF'
"""mk.py NAME OUT: write the workbook NAME (a function below) to OUT."""
import datetime, sys, zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

def serial(y, m, d, base=datetime.date(1899, 12, 30)):
    return (datetime.date(y, m, d) - base).days

def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

def row(n, cells):
    """cells: {"A": xml of the cell's inside and attributes as (attrs, inner)}"""
    out = [f'<row r="{n}">']
    for ref, (attrs, inner) in cells:
        out.append(f'<c r="{ref}{n}"{attrs}>{inner}</c>')
    return "".join(out) + "</row>"

def s(i): return (' t="s"', f"<v>{i}</v>")                       # shared string i
def inline(t): return (' t="inlineStr"', f"<is><t>{esc(t)}</t></is>")
def num(v, style=None): return (f' s="{style}"' if style else "", f"<v>{v}</v>")
def boolean(b): return (' t="b"', f"<v>{1 if b else 0}</v>")
def formula(f, v, t=""): return (t, f"<f>{esc(f)}</f><v>{v}</v>")

def sheet_xml(rows, extra=""):
    return f'{HEAD}<worksheet {NS}><sheetData>{"".join(rows)}</sheetData>{extra}</worksheet>'

def strings_xml(items):
    """items: text, or a list of rich-text runs"""
    out = []
    for it in items:
        if isinstance(it, list):
            out.append("<si>" + "".join(f"<r><rPr><b/></rPr><t xml:space=\"preserve\">{esc(t)}</t></r>" for t in it) + "</si>")
        else:
            out.append(f"<si><t>{esc(it)}</t></si>")
    return f'{HEAD}<sst {NS} count="{len(items)}" uniqueCount="{len(items)}">{"".join(out)}</sst>'

# cell formats: 0 general, 1 built-in date (14), 2 custom dd/mm/yyyy (164), 3 custom "d mmm yy"
STYLES = f'''{HEAD}<styleSheet {NS}>
<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[$-809]d\\ mmm\\ yy;@"/></numFmts>
<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165"/></cellXfs>
</styleSheet>'''

def workbook(out, sheets, strings=None, date1904=False, parts=None):
    """sheets: [(name, xml)]; a sheet of xml None is a chart sheet, of xml "" a worksheet whose
    part the caller adds"""
    z = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    z.writestr("[Content_Types].xml", f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr("_rels/.rels", f'{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    rels, entries = [], []
    for i, (name, xml) in enumerate(sheets, 1):
        kind = "worksheet" if xml is not None else "chartsheet"
        rels.append(f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{kind}s/sheet{i}.xml"/>')
        entries.append(f'<sheet name="{esc(name)}" sheetId="{i}" r:id="rId{i}"/>')
        if xml != "":
            z.writestr(f"xl/{kind}s/sheet{i}.xml", xml if xml is not None else f"{HEAD}<chartsheet {NS}/>")
    rels.append(f'<Relationship Id="rIdS" Type="{REL}/styles" Target="/xl/styles.xml"/>')
    z.writestr("xl/styles.xml", STYLES)
    if strings is not None:
        rels.append(f'<Relationship Id="rIdT" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
        z.writestr("xl/sharedStrings.xml", strings_xml(strings))
    z.writestr("xl/_rels/workbook.xml.rels", f'{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{"".join(rels)}</Relationships>')
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    z.writestr("xl/workbook.xml", f'{HEAD}<workbook {NS}>{pr}<sheets>{"".join(entries)}</sheets></workbook>')
    for name, data in (parts or {}).items():
        z.writestr(name, data)
    z.close()

RISK_HEADER = ["Risk ID", "Title", "Risk Owner", "Date Raised", "Likelihood", "Impact",
               "Description", "Review every days"]

def hand(out):
    """A register as people keep it: a merged title row above the header, a blank row, rich and
    inline text, dates in two formats, a formula with its value, a boolean, sparse cells."""
    strings = ["ACME risk register 2026", *RISK_HEADER, ["Backup ", "failure"], "Supplier insolvency", "ben"]
    hdr = [(chr(65 + i), s(1 + i)) for i in range(len(RISK_HEADER))]
    rows = [
        row(1, [("A", s(0))]),
        row(3, hdr),
        row(4, [("A", inline("R-001")), ("B", s(9)), ("C", inline("ana")),
                ("D", num(serial(2026, 1, 10), 1)), ("E", num(3)), ("F", formula("E4+1", 4)),
                ("G", boolean(True)), ("H", num("90.0"))]),
        row(5, [("A", inline("R-002")), ("B", s(10)), ("C", s(11)),
                ("D", num(serial(2026, 2, 1), 2)), ("E", num("2")), ("F", num("5")),
                ("G", inline("Two lines:_x000A_the second_x005F_x0041_"))]),
        row(6, [("A", (' s="1"', ""))]),  # formatted, empty: not a row
        row(9, [("A", inline("R-003")), ("B", formula('"Power "&"outage"', "Power outage", ' t="str"')),
                ("D", num(f"{serial(2026, 3, 3)}.75", 3))]),
    ]
    merge = '<mergeCells count="1"><mergeCell ref="A1:H1"/></mergeCells>'
    workbook(out, [("Risks", sheet_xml(rows, merge))], strings)

def numbers(out):
    """KPI measurements: numbers as a person reads them; a date in a 1904 workbook."""
    kpis = [row(1, [("A", inline("id")), ("B", inline("name")), ("C", inline("target"))]),
            row(2, [("A", inline("K-001")), ("B", inline("Uptime")), ("C", num("99.900000000000006"))])]
    base = datetime.date(1904, 1, 1)
    ms = [row(1, [("A", inline("kpi_id")), ("B", inline("measured_on")), ("C", inline("value"))])]
    for n, (d, v) in enumerate([((2026, 1, 31), "0.30000000000000004"), ((2026, 2, 28), "3"),
                                ((2026, 3, 31), "1E-3"), ((2026, 4, 30), "-0")], 2):
        ms.append(row(n, [("A", inline("K-001")), ("B", num(serial(*d, base=base), 1)), ("C", num(v))]))
    workbook(out, [("kpis", sheet_xml(kpis)), ("measurements", sheet_xml(ms))], date1904=True)

def book(out):
    """Sheets named for kinds, a chart and a sheet of notes."""
    risks = [row(1, [("A", inline("id")), ("B", inline("title")), ("C", inline("created_on"))]),
             row(2, [("A", inline("R-010")), ("B", inline("Flood")), ("C", num(serial(2026, 5, 1), 1))])]
    imps = [row(1, [("A", inline("id")), ("B", inline("title")), ("C", inline("risk_id")), ("D", inline("raised_on"))]),
            row(2, [("A", inline("I-010")), ("B", inline("Raise the racks")), ("C", inline("R-010")), ("D", inline("2026-05-02"))])]
    notes = [row(1, [("A", inline("Ask Ana about the flood plain"))])]
    workbook(out, [("Notes", sheet_xml(notes)), ("Improvements", sheet_xml(imps)),
                   ("Chart", None), ("Risks", sheet_xml(risks))])

def bad(out):
    """A risk with a likelihood no matrix has, in C3."""
    rows = [row(2, [("A", inline("id")), ("B", inline("title")), ("C", inline("Likelihood")), ("D", inline("Impact"))]),
            row(3, [("A", inline("R-020")), ("B", inline("Fire")), ("C", inline("banana")), ("D", num(2))])]
    workbook(out, [("Summary", sheet_xml([row(1, [("A", inline("see Open risks"))])])),
                   ("Open risks", sheet_xml(rows))])

def plain(out):
    rows = [row(1, [("A", inline("id")), ("B", inline("title"))]),
            row(2, [("A", inline("R-030")), ("B", inline("Theft"))])]
    workbook(out, [("Sheet1", sheet_xml(rows))])

def doctype(out):
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i-1};" * 10}">' for i in range(1, 10))
    xml = f'{HEAD}<!DOCTYPE worksheet [<!ENTITY l0 "lol">{laughs}]><worksheet {NS}><sheetData>' \
          f'<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>'
    workbook(out, [("Risks", xml)])

def no_sheets(out):
    workbook(out, [("Chart", None)])

def wide(out):
    workbook(out, [("Risks", sheet_xml([row(1, [("A", inline("id")), ("XFE", inline("x"))])]))])

def docx(out):
    z = zipfile.ZipFile(out, "w")
    z.writestr("word/document.xml", "<document/>")
    z.close()

def bomb(out):
    """A sheet of 300 MB that packs into a few hundred KB."""
    workbook(out, [("Risks", "")])  # the parts around it; the sheet is added below
    z = zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED)
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as f:
        f.write(f"{HEAD}<worksheet {NS}><sheetData>".encode())
        block = b" " * (1 << 20)
        for _ in range(300):
            f.write(block)
        f.write(b"</sheetData></worksheet>")
    z.close()

def lie(src, out):
    """The bomb, saying its sheet is 1 KB unpacked: in the local header (offset 22) and in the
    central directory (offset 24)."""
    data, name = bytearray(open(src, "rb").read()), b"xl/worksheets/sheet1.xml"
    for sig, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        at = data.find(sig)
        while at >= 0:
            n = int.from_bytes(data[at + name_len_at:at + name_len_at + 2], "little")
            if data[at + name_at:at + name_at + n] == name:
                data[at + size_at:at + size_at + 4] = (1024).to_bytes(4, "little")
            at = data.find(sig, at + 4)
    open(out, "wb").write(data)

if __name__ == "__main__":
    globals()[sys.argv[1].replace("-", "_")](*sys.argv[2:])
EOF
# mk NAME FILE...: make the workbook NAME of mk.py
mk() {
    if [ -z "$PY" ]; then
        _fail "no python3"
        return
    fi
    "$PY" mk.py "$@" || _fail "mk.py $1 failed"
}

# ---- the export read back -------------------------------------------------------------------
mkdir -p demo && cp "$DEMO/riskreg.lua" demo/
"$RISKREG" -C demo import -q "$DEMO/data" --on 2026-11-20 2>/dev/null

t "export --format xlsx, import the workbook into an empty register, export: the same CSV files"
rr -C demo export --format xlsx --out all.xlsx
is_rc 0
rr -C demo export --out first
new_register copy
cp demo/riskreg.lua copy/
rr -C copy import -q all.xlsx
is_rc 0
is_eq "$err" "" "the import's messages"
rr -C copy export --out second
is_rc 0
run diff -r first second
is_rc 0
is_eq "$(ls second | wc -l)" "$(ls first | wc -l)" "files"

t "the export's workbook: each sheet named for its kind is imported as that kind, counts said"
new_register copy2
cp demo/riskreg.lua copy2/
rr -C copy2 import all.xlsx
is_rc 0
out_has "all.xlsx, sheet 'risks': $(count demo risk) risks added"
out_has "all.xlsx, sheet 'assessments': $(count demo assessment) assessments added"
out_has "all.xlsx, sheet 'kpis': $(count demo kpi) kpis added"
is_eq "$(count copy2 risk)" "$(count demo risk)" "risks"
is_eq "$(count copy2 measurement)" "$(count demo measurement)" "measurements"

t "a .XLSX named for a kind is that kind, whatever its sheet is called"
mk plain plain.xlsx
cp plain.xlsx RISKS.XLSX
new_register p
rr -C p import RISKS.XLSX
is_rc 0
out_has "RISKS.XLSX, sheet 'Sheet1': 1 risk added"
is_eq "$(q p "SELECT title FROM risk WHERE id = 'R-030'")" "Theft" "R-030"

# ---- a workbook as people make it -----------------------------------------------------------
mk hand hand.xlsx
new_register h

t "a hand-made register: the title row skipped, 3 risks with their assessments"
rr -C h import --kind risks --on 2026-11-20 hand.xlsx
is_rc 0
out_has "hand.xlsx, sheet 'Risks': 3 risks added; 2 assessments added"
is_eq "$(q h "SELECT group_concat(id, ' ') FROM (SELECT id FROM risk ORDER BY id)")" "R-001 R-002 R-003" "IDs"

t "the formula's saved value is imported, and said once with its first cell"
err_has "riskreg: warning: hand.xlsx: Risks!F4: 2 cells hold formulas; their values were imported, not the formulas"
is_eq "$(q h "SELECT impact FROM assessment WHERE risk_id = 'R-001'")" "4" "R-001 impact (=E4+1)"
is_eq "$(q h "SELECT title FROM risk WHERE id = 'R-003'")" "Power outage" "R-003 title (a text formula)"

t "shared, rich-text and inline strings"
is_eq "$(q h "SELECT title || '|' || owner FROM risk WHERE id = 'R-001'")" "Backup failure|ana" "R-001"
is_eq "$(q h "SELECT title || '|' || owner FROM risk WHERE id = 'R-002'")" "Supplier insolvency|ben" "R-002"

t "date cells: a built-in date format, a custom dd/mm/yyyy, a custom format with a time"
is_eq "$(q h "SELECT group_concat(created_on, ' ') FROM (SELECT created_on FROM risk ORDER BY id)")" \
    "2026-01-10 2026-02-01 2026-03-03" "created_on"

t "text with the escapes Excel writes for line breaks (_x000A_) and underscores (_x005F_)"
is_eq "$(q h "SELECT description FROM risk WHERE id = 'R-002'")" "Two lines:
the second_x0041_" "R-002 description"

t "a number as a person reads it (90, not 90.0), a boolean as TRUE"
is_eq "$(q h "SELECT review_every_days FROM risk WHERE id = 'R-001'")" "90" "review_every_days"
is_eq "$(q h "SELECT description FROM risk WHERE id = 'R-001'")" "TRUE" "description"
rr -C h show R-001
out_has "Backup failure"

t "numbers without float noise, dates of a 1904 workbook"
mk numbers numbers.xlsx
new_register n
rr -C n import --kind auto numbers.xlsx
is_rc 0
out_has "numbers.xlsx, sheet 'measurements': 4 measurements added"
rr -C n export --kind measurements
is_eq "$out" "kpi_id,measured_on,value
K-001,2026-01-31,0.3
K-001,2026-02-28,3
K-001,2026-03-31,0.001
K-001,2026-04-30,0" "measurements"
is_eq "$(q n "SELECT target FROM kpi")" "99.9" "target"

# ---- which sheets --------------------------------------------------------------------------
mk book book.xlsx

t "--kind auto: the sheets named for kinds, in dependency order; the others skipped and said"
new_register b
rr -C b import --kind auto book.xlsx
is_rc 0
out_has "book.xlsx, sheet 'Risks': 1 risk added"
out_has "book.xlsx, sheet 'Improvements': 1 improvement added"
err_has "riskreg: warning: book.xlsx: sheet 'Notes' is not named for a kind (risks, improvements, ...); skipped"
err_lacks "Chart"
is_eq "$(q b "SELECT risk_id || ' ' || raised_on FROM improvement")" "R-010 2026-05-02" "I-010"

t "no --kind, a file name that names no kind: the same as --kind auto"
new_register b2
rr -C b2 import book.xlsx
is_rc 0
is_eq "$(count b2 risk) $(count b2 improvement)" "1 1" "risks and improvements"

t "--sheet alone: that sheet, as the kind it is named for; its cells named in messages"
new_register b3
rr -C b3 import --sheet improvements book.xlsx
is_rc 1 # the improvement's risk is not there
err_has "riskreg: book.xlsx: Improvements!C2: column 'risk_id': "
is_eq "$(count b3 improvement)" "0" "improvements"

t "--kind with --sheet: that sheet alone"
new_register b4
rr -C b4 import --kind risks --sheet Risks book.xlsx
is_rc 0
out_has "book.xlsx, sheet 'Risks': 1 risk added"
is_eq "$(count b4 improvement)" "0" "improvements"

t "--kind without --sheet reads the first sheet"
new_register b5
rr -C b5 import --kind risks book.xlsx
is_rc 1
err_has "book.xlsx"
is_eq "$(count b5 risk)" "0" "risks"

t "a workbook with no sheet named for a kind, and no --kind: a usage error"
new_register u
rr -C u import plain.xlsx
is_rc 2
err_has "plain.xlsx: cannot tell what the workbook holds: no sheet is named for a kind"
err_has "sheet 'Sheet1' is not named for a kind"

t "--sheet with only CSV files is a usage error"
printf 'id,title\nR-1,x\n' >risks.csv
rr -C u import --sheet Risks risks.csv
is_rc 2
err_has "--sheet names a sheet of a workbook"

# ---- messages naming the cell --------------------------------------------------------------
mk bad bad.xlsx

t "a bad value is named by its sheet and cell: 'Open risks'!C3"
new_register e
rr -C e import --kind risks --sheet "open risks" bad.xlsx
is_rc 1
err_has "riskreg: bad.xlsx: 'Open risks'!C3: column 'Likelihood': "
err_has "nothing was imported"
is_eq "$(count e risk)" "0" "risks"

t "a sheet that is not there: named, with the sheets there are"
rr -C e import --kind risks --sheet Nope bad.xlsx
is_rc 1
is_eq "$err" "riskreg: bad.xlsx: no sheet named 'Nope' (its sheets: Summary, Open risks)" "message"

# ---- hostile and broken files: refused, one message, nothing written -----------------------
new_register x
refused() { # refused FILE MESSAGE: one message naming the file, exit 1, nothing written
    rr -C x import --kind risks "$1"
    is_rc 1
    err_has "$2"
    is_eq "$(printf '%s\n' "$err" | grep -c .)" "1" "message lines"
    rr -C x list risks
    is_eq "$(count x risk)" "0" "risks"
}

t "not a zip"
echo "id,title" >text.xlsx
refused text.xlsx "riskreg: text.xlsx: not an Excel workbook: an .xlsx file is a zip archive, and this is not one"

t "an old .xls or a password-protected workbook (OLE2)"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' >old.xlsx
head -c 4096 /dev/zero >>old.xlsx
refused old.xlsx "riskreg: old.xlsx: is an old .xls or a password-protected workbook; save it as .xlsx (or CSV UTF-8)"

t "a zip that is not a workbook"
mk docx doc.xlsx
refused doc.xlsx "riskreg: doc.xlsx: not an Excel workbook: it has no xl/workbook.xml"

t "a zip bomb: a sheet that unpacks to 300 MB"
mk bomb bomb.xlsx
is_eq "$(($(stat -c %s bomb.xlsx) < 2000000))" 1 "packed size below 2 MB"
refused bomb.xlsx "riskreg: bomb.xlsx: xl/worksheets/sheet1.xml is larger than 256 MiB unpacked; refused"

t "a zip bomb that lies about its size: the bytes are counted"
mk lie bomb.xlsx lying.xlsx
refused lying.xlsx "riskreg: lying.xlsx: xl/worksheets/sheet1.xml unpacks to more than 256 MiB; refused"

t "an XML part with a DOCTYPE (entity expansion) is refused before anything expands"
mk doctype doctype.xlsx
refused doctype.xlsx "riskreg: doctype.xlsx: xl/worksheets/sheet1.xml declares a DOCTYPE, which a workbook never has; refused"

t "a workbook without worksheets"
mk no-sheets charts.xlsx
refused charts.xlsx "riskreg: charts.xlsx: the workbook has no worksheets"

t "a cell beyond column XFD"
mk wide wide.xlsx
refused wide.xlsx "riskreg: wide.xlsx: xl/worksheets/sheet1.xml: row 1: a cell beyond column XFD"

t "a truncated workbook"
head -c 600 hand.xlsx >cut.xlsx
refused cut.xlsx "riskreg: cut.xlsx: not a readable Excel workbook"

done_testing
