#!/usr/bin/env bash
# The look without a copy, and help where customisers look (issue 14, items 3 and 6): a project's
# templates/theme.css is copied into the site and linked by every page right after style.css,
# and its custom properties reach the page in a browser; no theme, no link; a full
# templates/style.css still replaces the built-in one; every custom property of style.css is
# documented with its default; `riskreg help lua` prints the functions the man page documents;
# print goes where the documentation says.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
DEMO="$ROOT/register/demo"
STYLE="$ROOT/report-templates/style.css"
README="$ROOT/report-templates/README.md"

# project NAME: a copy of the demo project with its register imported
project() {
    mkdir -p "$1" && cp "$DEMO/riskreg.lua" "$1/"
    for d in scripts templates; do [ -d "$DEMO/$d" ] && cp -r "$DEMO/$d" "$1/"; done
    "$RISKREG" -C "$1" import "$DEMO/data" --on 2026-11-20 >/dev/null 2>&1 || echo "cannot import into $1" >&2
}

# pages_linking DIR: how many HTML pages of a site link theme.css right after style.css, with the
# same way back to the top of the site; and how many pages there are
pages_linking() {
    local n=0 all=0 f
    while IFS= read -r f; do
        all=$((all + 1))
        awk '/<link rel="stylesheet" href="[^"]*style\.css">/ { root = $0; sub(/.*href="/, "", root); sub(/style\.css".*/, "", root)
               getline; if ($0 == "<link rel=\"stylesheet\" href=\"" root "theme.css\">") ok = 1 }
             END { exit !ok }' "$f" && n=$((n + 1))
    done < <(find "$1" -name '*.html')
    echo "$n $all"
}

t "a project's templates/theme.css is in the site, and every page links it right after style.css"
project themed
printf ':root {\n  --accent: #123456;\n  --header-bg: #0b2a4a; --header-ink: #ffffff; --header-link: #d6e9f5;\n}\n' >themed/templates/theme.css
rr -C themed build --quiet
is_rc 0
cmp -s themed/templates/theme.css themed/public/theme.css || _fail "public/theme.css is not the project's theme.css"
read -r linking pages < <(pages_linking themed/public)
[ "$pages" -gt 50 ] || _fail "only $pages pages built"
is_eq "$linking" "$pages" "pages that link theme.css right after style.css"
file_has themed/public/risks/R-001.html '<link rel="stylesheet" href="../theme.css">'
# and before levels.css: the level colours stay those of riskreg.lua
grep -A1 'theme.css' themed/public/index.html | grep -q 'levels.css' || _fail "levels.css does not follow theme.css"
cmp -s "$STYLE" themed/public/style.css || _fail "the built-in style.css is not the one published"

t "the header is drawn with the custom properties a theme sets"
# in the stylesheet itself: the top bar, its links and the current section's mark
grep -q '^\.top { .*background: var(--header-bg)' "$STYLE" || _fail "the top bar's background is not var(--header-bg)"
grep -q '^\.top nav a { color: var(--header-link)' "$STYLE" || _fail "the top bar's links are not var(--header-link)"
grep -q '^\.top a\[aria-current="page"\] {.*color: var(--header-ink).*border-bottom: 2px solid var(--accent)' "$STYLE" ||
    _fail "the current section is not marked with var(--header-ink) and var(--accent)"

# browser_styles PAGE: the computed colours of the top bar in Chromium, one per line
browser_styles() {
    node -e '
const { chromium } = require(process.argv[1] + "/browser/node_modules/playwright-core");
(async () => {
  const b = await chromium.launch({ executablePath: "/usr/bin/chromium" });
  const p = await b.newPage();
  await p.goto("file://" + process.argv[2]);
  console.log(await p.evaluate(() => {
    const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
    return [css(".top", "backgroundColor"), css(".brand", "color"), css(".top nav a:not([aria-current])", "color"),
            css(".top a[aria-current=page]", "borderBottomColor"), css(".top a[aria-current=page]", "color"),
            css("body", "color"), css("a.skip", "color")].join("\n");
  }));
  await b.close();
})().catch((e) => { console.error(String(e)); process.exit(1); });' "$HERE" "$1"
}
if [ -x /usr/bin/chromium ] && command -v node >/dev/null 2>&1; then
    if [ ! -d "$HERE/browser/node_modules/playwright-core" ]; then
        (cd "$HERE/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
            _fail "cannot install tests/browser/node_modules: run 'npm ci' in tests/browser"
    fi
    t "in Chromium, the theme colours the top bar of a page and of a page in a folder"
    for page in index.html risks/R-001.html; do
        run browser_styles "$TMP/themed/public/$page"
        is_rc 0
        is_eq "$out" "$(printf '%s\n' 'rgb(11, 42, 74)' 'rgb(255, 255, 255)' 'rgb(214, 233, 245)' \
            'rgb(18, 52, 86)' 'rgb(255, 255, 255)' 'rgb(31, 35, 40)' 'rgb(11, 92, 173)')" "$page: top bar, brand, link, mark, current, body, other link"
    done

    t "in Chromium, without a theme the top bar keeps the built-in colours"
    project plain
    rr -C plain build --quiet
    run browser_styles "$TMP/plain/public/index.html"
    is_rc 0
    is_eq "$out" "$(printf '%s\n' 'rgb(246, 248, 250)' 'rgb(31, 35, 40)' 'rgb(11, 92, 173)' \
        'rgb(0, 114, 178)' 'rgb(31, 35, 40)' 'rgb(31, 35, 40)' 'rgb(11, 92, 173)')" "top bar, brand, link, mark, current, body, other link"
else
    echo "$(basename "$0"): the browser cases skipped: chromium or node not found (make deps installs them)"
fi

t "without templates/theme.css there is no theme.css and no page links one"
[ -d plain ] || { project plain && "$RISKREG" -C plain build --quiet; }
[ ! -e plain/public/theme.css ] || _fail "plain/public/theme.css exists"
is_eq "$(grep -rl 'theme\.css' plain/public --include='*.html' | wc -l)" 0 "pages naming theme.css"
file_has plain/public/index.html '<link rel="stylesheet" href="style.css">'

t "a theme taken away is gone from the next build"
rm themed/templates/theme.css
rr -C themed build --quiet
is_rc 0
[ ! -e themed/public/theme.css ] || _fail "theme.css is still in the site"
is_eq "$(grep -rl 'theme\.css' themed/public --include='*.html' | wc -l)" 0 "pages naming theme.css"

t "a project's full templates/style.css still replaces the built-in one"
project own
printf 'body { color: #400; }\n' >own/templates/style.css
rr -C own build --quiet
is_rc 0
cmp -s own/templates/style.css own/public/style.css || _fail "public/style.css is not the project's"
file_has own/public/index.html '<link rel="stylesheet" href="style.css">'
[ ! -e own/public/theme.css ] || _fail "a theme.css appeared"

t "every custom property style.css uses is set in its :root"
defined=$(sed -n '/^:root {/,/^}/p' "$STYLE" | sed -n 's/^  \(--[a-z0-9-]*\):.*/\1/p' | sort -u)
used=$(grep -o 'var(--[a-z0-9-]*' "$STYLE" | sed 's/var(//' | sort -u)
# the level colours are set per band by levels.css
missing=$(comm -13 <(printf '%s\n' $defined --level-bg --level-fg | sort -u) <(printf '%s\n' $used))
is_eq "$missing" "" "properties used but not set"
[ "$(printf '%s\n' $defined | wc -l)" -ge 40 ] || _fail "only $(printf '%s\n' $defined | wc -l) properties"

t "report-templates/README.md documents every custom property with its default"
sed -n '/^:root {/,/^}/p' "$STYLE" | sed -n 's/^  \(--[a-z0-9-]*\): \(.*\);$/\1\t\2/p' >props
[ -s props ] || _fail "no properties read from style.css"
while IFS=$'\t' read -r name value; do
    grep -E -- "^\| ([^|]*, )?\`$name\`(, [^|]*)? \|" "$README" | grep -qF -- "\`$value\`" ||
        _fail "README.md has no row for $name with its default \`$value\`"
done <props
for name in --level-bg --level-fg; do
    grep -qF -- "\`$name\`" "$README" || _fail "README.md does not mention $name"
done
# and no row for a property that is not there
for name in $(grep -oE '^\| `--[a-z0-9-]*`(, `--[a-z0-9-]*`)* \|' "$README" | grep -oE -- '--[a-z0-9-]+'); do
    case " $(echo $defined) --level-bg --level-fg " in *" $name "*) ;; *) _fail "README.md documents $name, which style.css does not set" ;; esac
done

t "the README's company-colour theme works as it says"
project company
awk '/^```css$/ { on = 1; next } /^```$/ { on = 0 } on && f { print } /<!-- theme.css -->/ { f = 1 } /^```$/ && f { exit }' "$README" >company/templates/theme.css
is_eq "$(wc -l <company/templates/theme.css)" 3 "lines of the example theme.css"
file_has company/templates/theme.css "--header-bg"
rr -C company build --quiet
is_rc 0
cmp -s company/templates/theme.css company/public/theme.css || _fail "the example theme is not in the site"

t "riskreg help lists the lua topic, and help lua prints the Lua API"
rr help
is_rc 0
out_has "riskreg help lua"
rr help lua
is_rc 0
out_has "riskreg.db"
out_has "db.rows(sql, ...)"
out_has "site.has_asset(asset)"
out_lacks "*db.rows*"
out_lacks "_sql_"
out_lacks '\*'
out_lacks '```'

# names TEXT: the module functions a text documents (name.name followed by "(" or "{")
names() { tr '\n' ' ' | tr -s ' ' | grep -oE '\b[a-z_]+\.[a-z_]+ ?[({]' | tr -d ' ({' | sort -u; }

t "riskreg help lua documents the same functions as the man page"
rr help lua
from_help=$(printf '%s\n' "$out" | names)
if command -v scdoc >/dev/null 2>&1 && command -v man >/dev/null 2>&1; then
    scdoc <"$ROOT/src/riskreg-lua.7.scd" >riskreg-lua.7
    from_man=$(MANWIDTH=250 man -l riskreg-lua.7 2>/dev/null | col -b | names)
else # the source itself, without scdoc's marks
    from_man=$(sed 's/[*_\\]//g' "$ROOT/src/riskreg-lua.7.scd" | names)
fi
[ "$(printf '%s\n' "$from_man" | wc -l)" -gt 100 ] || _fail "only $(printf '%s\n' "$from_man" | wc -l) functions in the man page"
is_eq "$(diff <(printf '%s\n' "$from_man") <(printf '%s\n' "$from_help"))" "" "functions of the man page missing from (<) or added to (>) help lua"

t "help lua is the text of the man page, line for line (the same words in the same order)"
words() { tr -s ' \n\t' '\n' | grep -v '^$'; }
if command -v scdoc >/dev/null 2>&1 && command -v man >/dev/null 2>&1; then
    # man joins and justifies lines, and names the page in a header and footer
    MANWIDTH=250 man --no-hyphenation --no-justification -l riskreg-lua.7 2>/dev/null | col -b | sed '1d;$d' | perl -CS -pe 's/\x{2010}/-/g; s/\x{2022}/-/g; s/[\x{2500}-\x{257F}]/ /g' | words >man.words
    printf '%s\n' "$out" | words >help.words
    is_eq "$(diff man.words help.words | head -5)" "" "words that differ"
fi

t "make demo leaves the man pages built and says how to read them"
run make -C "$ROOT" -n demo BUILD="$TMP/demo-build"
is_rc 0
out_has "$TMP/demo-build/man/riskreg-lua.7"
out_has "$TMP/demo-build/man/riskreg.1"
out_has "man -l $TMP/demo-build/man/riskreg-lua.7"
[ ! -e "$TMP/demo-build" ] || _fail "make -n demo built something"

t "print in a report script goes to stderr, tab-separated, with --quiet too; stdout stays the build's"
project printing
mkdir -p printing/scripts/pages
printf 'print("checking", 42, nil)\n' >printing/scripts/pages/zz_print.lua
rr -C printing build
is_rc 0
err_has "$(printf 'checking\t42\tnil')"
out_lacks "checking"
out_has "printing/public/index.html"
rr -C printing build --quiet
is_rc 0
is_eq "$err" "$(printf 'checking\t42\tnil')" "stderr with --quiet"
is_eq "$out" "" "stdout with --quiet"
# in a template too, once per page it renders
mkdir -p printing/templates
cp "$ROOT/report-templates/_footer.html" printing/templates/_footer.html
printf '<%% print("footer of", path) %%>\n' >>printing/templates/_footer.html
rr -C printing build --quiet
is_rc 0
err_has "footer of	risks/R-001.html"

t "the documentation says where print goes"
grep -q 'print' "$ROOT/scripts/README.md" && grep -qi 'standard error' "$ROOT/scripts/README.md" ||
    _fail "scripts/README.md does not say print writes to standard error"
grep -qi 'standard error' "$ROOT/src/riskreg-lua.7.scd" || _fail "riskreg-lua(7) does not say where print goes"
rr help lua
out_has "print("

done_testing
