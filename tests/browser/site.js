// tests/browser/site.js SITE OUT: every .html page of a built site in a real browser (Chromium
// through playwright-core), loaded over file:// as a reader offline would, at a phone and a desktop
// width: no console or page error, no failed request, no sideways scrolling, every image loaded
// (the 2x file at deviceScaleFactor 2), a full-page screenshot in OUT/<width>/; then the review
// pack printed to OUT/review-pack.pdf: A4, several pages, no chart split across a page break.
// Prints one line per case, "ok<TAB>case" or "fail<TAB>case<TAB>why" (once per problem), for
// tests/site_browser.sh to count.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { pathToFileURL, fileURLToPath } = require('url');
const { chromium } = require('playwright-core');

const [SITE, OUT] = process.argv.slice(2).map((p) => path.resolve(p));
const WIDTHS = [
  { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  { width: 1366, height: 900, deviceScaleFactor: 1 },
];
const PACK = 'review/index.html';
const TIMEOUT = 20000;
const results = [];

// a case and its problems, at its place in the output (pages are checked two at a time)
function result(name, fails, at = results.length) {
  const some = fails.length > 10 ? [...fails.slice(0, 9), `... and ${fails.length - 9} more`] : fails;
  results[at] = { name, fails: some.map((f) => String(f).replace(/\s+/g, ' ').slice(0, 600)) };
}

function pages(dir, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) return pages(dir, r);
      return e.name.endsWith('.html') ? [r] : [];
    })
    .sort();
}

// a file:// URL that names an existing file inside the site, or why not
function siteFile(url) {
  if (!url.startsWith('file:')) return `${url} is not a file of the site`;
  const f = fileURLToPath(url.split('#')[0].split('?')[0]);
  if (!f.startsWith(SITE + path.sep)) return `${url} is outside the site`;
  if (!fs.existsSync(f) || !fs.statSync(f).isFile()) return `${url} is not a file`;
  return null;
}

// collects the console errors, page errors and failed requests of a page's loads: each load
// starts a new list in sink.problems
function listen(page) {
  const sink = { problems: [] };
  page.on('console', (m) => { if (m.type() === 'error') sink.problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => sink.problems.push(`page error: ${e.message}`));
  // a request the browser itself cancelled (net::ERR_ABORTED: a <picture> source given up when the
  // viewport changed size under it) of a file the site has is no fault of the site; that every
  // image shown has loaded is checked on its own
  page.on('requestfailed', (r) => {
    const why = r.failure().errorText;
    if (why === 'net::ERR_ABORTED' && siteFile(r.url()) === null) return;
    sink.problems.push(`request failed: ${r.url()} (${why})`);
  });
  return sink;
}

// in the page, in one round trip (each costs tens of ms): force every image to load now and
// wait for each; describe the images, the page's size, and when it scrolls sideways the widest
// element that sticks out of the viewport (unless a box that scrolls or clips holds it in).
// vw is the device's width: a phone widens its layout viewport (innerWidth) to a page too wide.
async function inspect(vw) {
  for (const img of document.images) img.loading = 'eager';
  window.scrollTo(0, document.documentElement.scrollHeight);
  await Promise.all([...document.images].map((img) => img.decode().catch(() => {})));
  window.scrollTo(0, 0);
  const parse = (srcset) => (srcset || '').split(',').map((c) => c.trim().split(/\s+/))
    .filter((c) => c[0]).map(([url, d]) => ({ url: new URL(url, document.baseURI).href, d: d || '1x' }));
  const images = [...document.images].map((img) => {
    // in a <picture>, the first <source> whose media matches is the one shown
    const source = img.parentElement && img.parentElement.localName === 'picture'
      ? [...img.parentElement.querySelectorAll('source')].find((s) => !s.media || matchMedia(s.media).matches)
      : null;
    const shown = source || img;
    const r = img.getBoundingClientRect();
    return {
      src: img.getAttribute('src'),
      loaded: img.complete && img.naturalWidth > 0,
      current: img.currentSrc,
      natural: img.naturalWidth,
      // a <source> gives no size: its file's, at its density, is the one shown
      attrWidth: source ? img.naturalWidth : Number(img.getAttribute('width')),
      srcset: parse(shown.getAttribute('srcset')),
      chart: Boolean(img.closest('figure.chart')),
      left: r.left,
      right: r.right,
      width: r.width,
    };
  });
  const { scrollWidth, scrollHeight } = document.documentElement;
  const name = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      let s = e.localName + (e.id ? `#${e.id}` : '') + [...e.classList].map((c) => `.${c}`).join('');
      if (!e.id && e.parentElement) {
        const same = [...e.parentElement.children].filter((c) => c.localName === e.localName);
        if (same.length > 1) s += `:nth-of-type(${same.indexOf(e) + 1})`;
      }
      parts.unshift(s);
      if (e.id) break;
    }
    const home = el.parentElement && el.parentElement.closest('[id]');
    return parts.join(' > ') + (home && !parts[0].includes('#') ? ` in #${home.id}` : '');
  };
  const held = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= vw + 0.5) return true;
    }
    return false;
  };
  let worst = null;
  for (const el of scrollWidth > vw ? document.body.querySelectorAll('*') : []) {
    const r = el.getBoundingClientRect();
    if ((r.right > vw + 0.5 || r.left < -0.5) && !held(el) && (!worst || r.width > worst.width)) {
      worst = { selector: name(el), width: Math.round(r.width), right: Math.round(r.right) };
    }
  }
  return { images, scrollWidth, scrollHeight, worst };
}

async function checkPage(page, cdp, sink, rel, size, at) {
  const fails = [];
  sink.problems = [];
  try {
    await page.goto(pathToFileURL(path.join(SITE, rel)).href, { waitUntil: 'load' });
    const w = await page.evaluate(inspect, size.width);
    for (const img of w.images) {
      if (!img.loaded) fails.push(`image ${img.src} did not load`);
      const x2 = img.srcset.find((c) => c.d === '2x');
      if (!x2) { fails.push(`image ${img.src} has no 2x srcset`); continue; }
      for (const c of img.srcset) {
        const bad = siteFile(c.url);
        if (bad) fails.push(`image ${img.src}: srcset ${c.d} ${bad}`);
      }
      if (size.deviceScaleFactor === 2 && img.loaded) {
        if (img.current !== x2.url) fails.push(`image ${img.src}: showed ${img.current}, not its 2x ${x2.url}`);
        else if (img.attrWidth && img.natural !== img.attrWidth) {
          fails.push(`image ${img.src}: the 2x file is ${img.natural * 2} px wide for a width of ${img.attrWidth}`);
        }
      }
    }
    // a chart on a phone: nothing wider than the screen, nothing shrunk (its labels, drawn at
    // 11 px and more at the chart's own width, stay 11 px or more)
    if (size.width < 600) {
      for (const img of w.images.filter((i) => i.chart && i.loaded && i.attrWidth)) {
        if (img.right > size.width + 0.5 || img.left < -0.5) {
          fails.push(`chart ${img.src} is clipped: its box runs from ${Math.round(img.left)} to ${Math.round(img.right)} px on a ${size.width} px screen`);
        } else if (img.width < img.attrWidth * 0.98) {
          fails.push(`chart ${img.src} is shown at ${Math.round(img.width)} of its ${img.attrWidth} px: its 11 px labels would be ${(11 * img.width / img.attrWidth).toFixed(1)} px`);
        }
      }
    }
    if (w.scrollWidth > size.width) {
      fails.push(`page scrolls sideways: scrollWidth ${w.scrollWidth} > ${size.width}` +
        (w.worst ? `; widest element ${w.worst.selector} is ${w.worst.width} px wide, right edge at ${w.worst.right}` : ''));
    }
    // the whole page at CSS pixels, straight from Chromium: a 2x PNG of a long page, or
    // Playwright's fullPage with its waits, takes seconds
    const shot = await cdp.send('Page.captureScreenshot', {
      format: 'png', optimizeForSpeed: true, captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: w.scrollWidth, height: w.scrollHeight, scale: 1 },
    });
    fs.writeFileSync(path.join(OUT, String(size.width), `${rel.replace(/\//g, '__')}.png`), Buffer.from(shot.data, 'base64'));
  } catch (e) {
    fails.push(`browser: ${e.message.split('\n')[0]}`);
  }
  result(`${rel} at ${size.width}x${size.height}: no errors, no sideways scrolling, images loaded` +
    (size.width < 600 ? ', charts whole and at their size' : ''),
    [...sink.problems, ...fails], at);
}

// ---- the review pack on paper ----------------------------------------------------------------

// in the page: the content box of the @page rules in the stylesheets' text, in CSS px
function pageBox(sheets) {
  const px = (v) => {
    const d = document.createElement('div');
    d.style.cssText = `position:absolute;visibility:hidden;height:${v}`;
    document.body.append(d);
    const h = d.getBoundingClientRect().height;
    d.remove();
    return h;
  };
  const box = { width: '210mm', height: '297mm', top: '0', right: '0', bottom: '0', left: '0' };
  for (const text of sheets) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    for (const rule of sheet.cssRules) {
      if (!(rule instanceof CSSPageRule) || rule.selectorText) continue;
      const s = rule.style;
      const size = s.getPropertyValue('size').trim().split(/\s+/);
      if (/^\d/.test(size[0] || '')) [box.width, box.height] = [size[0], size[1] || size[0]];
      else if (/^a4$/i.test(size[0] || '') && /landscape/i.test(size[1] || '')) [box.width, box.height] = ['297mm', '210mm'];
      for (const side of ['top', 'right', 'bottom', 'left']) {
        const v = s.getPropertyValue(`margin-${side}`);
        if (v) box[side] = v;
      }
    }
  }
  return {
    width: px(box.width) - px(box.left) - px(box.right),
    height: px(box.height) - px(box.top) - px(box.bottom),
  };
}

// in the page (print media): every element that must not be split, its size and whether its
// style (or for an image, an ancestor's) avoids a break inside it; the period and as-of date
function printLayout() {
  const name = (el) => el.localName + (el.id ? `#${el.id}` : '') + [...el.classList].map((c) => `.${c}`).join('');
  const where = (el) => {
    const f = el.closest('[id]');
    return f && f !== el ? `${name(el)} in #${f.id}` : name(el);
  };
  const avoids = (el) => /avoid/.test(getComputedStyle(el).breakInside);
  const kept = [];
  for (const el of document.querySelectorAll('figure, img, tr, .tile')) {
    if (el.getClientRects().length === 0) continue;
    const r = el.getBoundingClientRect();
    const item = { what: where(el), tag: el.localName, width: r.width, height: r.height, avoids: avoids(el) };
    if (el.localName === 'img') {
      let a = el;
      while (a && !avoids(a)) a = a.parentElement;
      item.avoids = Boolean(a);
      const caption = el.closest('figure') && el.closest('figure').querySelector('figcaption');
      item.caption = caption ? caption.textContent : '';
      item.attrWidth = Number(el.getAttribute('width')) || r.width;
    }
    kept.push(item);
  }
  const text = (sel) => (document.querySelector(sel) || { textContent: '' }).textContent;
  return {
    kept,
    period: text('.period strong'),
    asOf: text('.period time'),
    lead: text('main p.lead'),
    org: text('.cover-org'),
    review: text('.cover-title'),
    classification: text('.cover-class'),
  };
}

function tool(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(e.code === 'ENOENT' ? `${cmd} not found (poppler-utils; make deps installs it)` : `${cmd}: ${e.message}`);
  }
}

const flat = (s) => s.replace(/\s+/g, ' ').trim();
const squash = (s) => s.replace(/[\s-]+/g, '').toLowerCase();

async function checkPrint(browser) {
  const pdf = path.join(OUT, 'review-pack.pdf');
  const context = await browser.newContext({ viewport: { width: 794, height: 1123 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const { problems } = listen(page);
  const url = pathToFileURL(path.join(SITE, PACK)).href;
  await page.goto(url, { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  // a file:// page may not read its own stylesheets' rules, so they go in as text
  const sheets = (await page.$$eval('link[rel=stylesheet]', (ls) => ls.map((l) => l.href)))
    .map((href) => fs.readFileSync(fileURLToPath(href), 'utf8'));
  // lay the page out at the width of the paper's content box, as printing does
  const box = await page.evaluate(pageBox, sheets);
  await page.setViewportSize({ width: Math.floor(box.width), height: Math.floor(box.height) });
  const layout = await page.evaluate(printLayout);
  const { kept } = layout;
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await context.close();

  result(`${PACK} prints without errors`, problems);

  result(`print: every figure, chart image, table row and tile avoids a page break inside it (break-inside: avoid)`,
    kept.filter((k) => !k.avoids).map((k) => `${k.what} has break-inside: auto in print`));

  result(`print: every figure, chart image, table row and tile fits in the A4 content box ` +
    `(${Math.round(box.width)}x${Math.round(box.height)} px at the @page margins), so it need not be cut`,
    [...new Set(kept.filter((k) => k.height > box.height + 0.5 || k.width > box.width + 0.5)
      .map((k) => `${k.what} is ${Math.round(k.width)}x${Math.round(k.height)} px`))]);

  // the PDF as poppler-utils reads it: its pages, the text of each, and one row per image
  // drawn (an image cut by a page break is drawn on both pages)
  let info = '';
  let text = [];
  let placed = [];
  const fails = [];
  try {
    info = tool('pdfinfo', [pdf]);
    text = tool('pdftotext', ['-raw', pdf, '-']).split('\f').map(flat);
    placed = tool('pdfimages', ['-list', pdf]).split('\n').slice(2)
      .map((l) => l.trim().split(/\s+/)).filter((f) => /^\d+$/.test(f[0])).map((f) => Number(f[0]));
  } catch (e) {
    fails.push(e.message);
  }
  const pageCount = Number((info.match(/^Pages:\s+(\d+)/m) || [])[1] || 0);
  if (info && !/^Page size:.*\(A4\)/m.test(info)) fails.push(`not A4: ${(info.match(/^Page size:.*$/m) || ['no page size'])[0]}`);
  if (info && pageCount < 2) fails.push(`${pageCount} page(s), expected more than one`);
  result(`print: ${PACK} makes an A4 PDF of more than one page (${pageCount} pages)`, fails);

  // the cover, then the executive summary on page 2, then the inputs
  const cover = fails.slice();
  for (const [what, want] of [['organisation', layout.org], ['review', layout.review], ['classification', layout.classification]]) {
    if (!flat(want)) cover.push(`the pack has no ${what} on its cover`);
    // as pdftotext gives it: the case may be styled, a long word broken at a hyphen
    else if (info && !squash(text[0] || '').includes(squash(want))) cover.push(`page 1 lacks the ${what} "${flat(want)}"`);
  }
  if (info && /Decisions sought/.test(text[0] || '')) cover.push('page 1 holds more than the cover');
  result(`print: page 1 is the cover: organisation, review, date and classification`, cover);

  const summary = fails.slice();
  for (const want of ['Decisions sought', 'Headline figures', 'Conclusions of the last review']) {
    if (info && !(text[1] || '').includes(want)) summary.push(`page 2 lacks "${want}"`);
  }
  if (info && /a\) Status of actions/.test(text[1] || '')) summary.push('page 2 runs on into the inputs: the summary is not a page of its own');
  result(`print: page 2 is the one-page executive summary (decisions sought, headline figures, the last review's conclusions)`, summary);

  const pages = fails.slice();
  if (info && (pageCount < 6 || pageCount > 16)) pages.push(`${pageCount} pages, expected 6 to 16 for the demo's pack`);
  text.slice(0, pageCount).forEach((t, i) => {
    const words = t.split(' ').filter(Boolean).length;
    if (words < 40) pages.push(`page ${i + 1} holds only ${words} words`);
  });
  result(`print: the pack fills its pages (6 to 16 pages, none holding only a few lines)`, pages);

  // chart labels are 11 CSS px at the chart's own width; on paper a px is 0.75 pt
  const small = kept.filter((k) => k.tag === 'img' && k.attrWidth > 0 && 11 * 0.75 * (k.width / k.attrWidth) < 7)
    .map((k) => `${k.what} prints at ${Math.round(k.width)} of its ${k.attrWidth} px: its labels would be ${(11 * 0.75 * k.width / k.attrWidth).toFixed(1)} pt`);
  result(`print: chart text is 7 pt or more on paper (no chart printed below 85 % of its size)`, small);

  const foot = fails.slice();
  for (let n = 1; n <= pageCount; n++) {
    for (const want of [`${layout.period} · as of ${layout.asOf}`, `Page ${n} of ${pageCount}`]) {
      if (!(text[n - 1] || '').includes(want)) foot.push(`page ${n} lacks "${want}"`);
    }
  }
  result(`print: every page's footer has the period, the as-of date and "Page N of M"`, foot);

  const imgs = kept.filter((k) => k.tag === 'img');
  const cut = fails.slice();
  if (info && placed.length !== imgs.length) {
    cut.push(`the PDF draws ${placed.length} images for the ${imgs.length} shown: an image cut by a page break is drawn twice`);
  } else if (info) {
    // the k-th image drawn is the k-th image of the page; its caption must be on its page
    imgs.forEach((img, k) => {
      const words = flat(img.caption).split(' ').slice(0, 6).join(' ');
      if (words && !(text[placed[k] - 1] || '').includes(words)) {
        cut.push(`${img.what}: its caption "${words}" is not on its page ${placed[k]}`);
      }
    });
  }
  result(`print: no chart is cut across a page break (each image drawn once, on the page of its caption)`, cut);
}

async function main() {
  for (const s of WIDTHS) fs.mkdirSync(path.join(OUT, String(s.width)), { recursive: true });
  // SITE_ONLY=REGEX checks only the pages it matches (to look into a failure quickly)
  const list = pages(SITE).filter((p) => !process.env.SITE_ONLY || new RegExp(process.env.SITE_ONLY).test(p));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // one context per width, both at once; the pages of a width one after another
    await Promise.all(WIDTHS.map(async (size) => {
      const { width, height, ...rest } = size;
      const context = await browser.newContext({ viewport: { width, height }, ...rest });
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT);
      const sink = listen(page);
      const cdp = await context.newCDPSession(page);
      for (const [i, rel] of list.entries()) await checkPage(page, cdp, sink, rel, size, i * WIDTHS.length + WIDTHS.indexOf(size));
      await context.close();
    }));
    if (list.includes(PACK)) await checkPrint(browser).catch((e) => result(`${PACK} prints`, [e.message]));
    else if (!process.env.SITE_ONLY) result(`the site has ${PACK} to print`, [`${PACK} is not in ${SITE}`]);
  } finally {
    await browser.close();
  }
  for (const r of results) {
    if (r.fails.length === 0) console.log(`ok\t${r.name}`);
    for (const f of r.fails) console.log(`fail\t${r.name}\t${f}`);
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
