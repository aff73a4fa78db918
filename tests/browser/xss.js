#!/usr/bin/env node
// xss.js SITE EXPECT: load every .html page of a built riskreg site in headless Chromium and
// report anything that shows a payload ran or got into the markup.
//
// Two passes over every page: over file:// as a reader opens the site, with the site's own
// Content-Security-Policy; and over http from a server in this process with the CSP switched off
// (bypassCSP), so escaping alone must hold. Each problem is one line, "FAMILY PAGE: what", with
// FAMILY one of: dialog, request, console, error, script, handler, url, element, presence,
// coverage. The last line is "checked N pages over file:// and M over http in T s". Exit 1 when
// anything was found, 2 on a usage or set-up error.
//
// EXPECT holds the text each page must show, one per line: PAGE \x1f FIELD \x1f TEXT, where TEXT
// is the payload as written in tests/data/xss/payloads.txt ("\n" for a line break).
'use strict';
const fs = require('fs');
const path = require('path');
const http = require('http');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const WORKERS = 4; // pages loaded at once in each pass
const TIMEOUT = 10000; // ms for one page to load
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function usage(msg) {
  process.stderr.write(`xss.js: ${msg}\nusage: node xss.js SITE EXPECT\n`);
  process.exit(2);
}

const [siteArg, expectArg] = process.argv.slice(2);
if (!siteArg || !expectArg) usage('two arguments needed');
const SITE = fs.realpathSync(siteArg);
if (!fs.existsSync(path.join(SITE, 'index.html'))) usage(`${SITE} holds no index.html`);

function htmlPages(dir, rel = '') {
  const list = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) list.push(...htmlPages(dir, r));
    else if (e.name.endsWith('.html')) list.push(r);
  }
  return list.sort();
}
const PAGES = htmlPages(SITE);

// ---- what each page must show ------------------------------------------------------------------

// The value as riskreg stores and shows it: "\n" is a line break; spaces around it are trimmed,
// a leading ' before = + - @ is a spreadsheet's text mark (dropped on import); whitespace runs
// are compared as one space, as text in HTML reads.
function stored(text) {
  let s = text.replace(/\\n/g, '\n').replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  if (/^'[=+\-@]/.test(s)) s = s.slice(1);
  return collapse(s);
}
function collapse(s) {
  return s.replace(/\s+/g, ' ').trim();
}

const expected = new Map(); // page -> [{ field, text }]
for (const line of fs.readFileSync(expectArg, 'utf8').split('\n')) {
  if (!line) continue;
  const [page, field, text] = line.split('\x1f');
  if (text === undefined) usage(`${expectArg}: not PAGE<US>FIELD<US>TEXT: ${line.slice(0, 80)}`);
  if (!expected.has(page)) expected.set(page, []);
  expected.get(page).push({ field, text: stored(text) });
}

// ---- reporting ---------------------------------------------------------------------------------

const problems = new Set();
function report(family, page, what) {
  const one = String(what).replace(/\s+/g, ' ');
  problems.add(`${family} ${page}: ${one.length > 300 ? one.slice(0, 300) + '…' : one}`);
}

// ---- the checks inside a page ------------------------------------------------------------------

// Runs in the page: every element and attribute, and the page's text.
function inspect([wantText, base]) {
  const found = [];
  // what an element loads by itself, whether or not the browser's cache let a request be seen
  const LOADS = { img: ['src', 'srcset'], source: ['src', 'srcset'], video: ['src', 'poster'], audio: ['src'],
    input: ['src'], link: ['href'], script: ['src'], iframe: ['src'], frame: ['src'], embed: ['src'],
    object: ['data'], image: ['href', 'xlink:href'], track: ['src'], body: ['background'], table: ['background'],
    td: ['background'] };
  const snip = (el) => el.outerHTML.replace(/\s+/g, ' ').slice(0, 160);
  const dangerous = (v) => {
    // a browser drops control characters and spaces around and inside a scheme
    const s = String(v).replace(/[\u0000-\u0020\u007f-\u00a0\u200b-\u200d\ufeff]/g, '').toLowerCase();
    return /^(javascript|vbscript|livescript|mocha):|^data:(text\/html|application\/xhtml|text\/xml|application\/xml|image\/svg)/.test(s);
  };
  const EMBEDS = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'form', 'portal']);
  const MARKUP = new Set(['style', 'svg', 'math', 'input', 'button', 'textarea', 'select', 'option', 'keygen',
    'isindex', 'video', 'audio', 'source', 'track', 'marquee', 'bgsound', 'template', 'xmp', 'plaintext',
    'noscript', 'noembed', 'noframes', 'listing', 'image', 'xml', 'slot', 'fencedframe']);
  const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background',
    'dynsrc', 'lowsrc', 'codebase', 'cite', 'ping', 'longdesc', 'manifest', 'icon', 'srcset', 'imagesrcset']);
  const ODD_ATTRS = new Set(['style', 'srcdoc', 'ping', 'autofocus', 'contenteditable', 'popover', 'formaction',
    'xlink:href', 'background', 'dynsrc', 'lowsrc', 'poster', 'is']);
  // a chart's own <source>: the first child of a <picture> in a chart's frame, for a phone,
  // naming one of the site's chart files and nothing else
  const siteSource = (el) => el.localName === 'source' && el.parentElement &&
    el.parentElement.localName === 'picture' && el.parentElement.firstElementChild === el &&
    Boolean(el.closest('figure.chart .chart-frame')) &&
    [...el.attributes].every((a) => a.name === 'media' || a.name === 'srcset') &&
    /^charts\/[A-Za-z0-9._-]+\.png 2x$/.test((el.getAttribute('srcset') || '').replace(/^(\.\.\/)+/, ''));
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    if (tag === 'script') found.push(['script', `<script> element: ${snip(el)}`]);
    else if (EMBEDS.has(tag)) found.push(['element', `<${tag}> element: ${snip(el)}`]);
    else if (MARKUP.has(tag) && !siteSource(el)) found.push(['element', `injected <${tag}> element: ${snip(el)}`]);
    else if (el instanceof HTMLUnknownElement || tag.includes('-') || tag.includes(':'))
      found.push(['element', `unknown element <${tag}>: ${snip(el)}`]);
    else if (tag === 'meta') {
      const eq = (el.getAttribute('http-equiv') || '').toLowerCase();
      if (eq === 'refresh') found.push(['element', `<meta http-equiv=refresh>: ${snip(el)}`]);
      else if (eq && !(eq === 'content-security-policy' && el.parentElement === document.head))
        found.push(['element', `<meta http-equiv=${eq}>: ${snip(el)}`]);
    } else if (tag === 'link') {
      const rel = (el.getAttribute('rel') || '').toLowerCase();
      if (rel !== 'stylesheet' || el.parentElement !== document.head)
        found.push(['element', `<link rel=${rel}> element: ${snip(el)}`]);
    }
    for (const n of LOADS[tag] || []) {
      const v = el.getAttribute(n);
      if (v === null) continue;
      for (const c of /srcset$/.test(n) ? v.split(',').map((x) => x.trim().split(/\s+/)[0]) : [v]) {
        let u;
        try { u = new URL(c, document.baseURI).href; } catch (e) { continue; }
        if (!u.startsWith(base) && !/^data:image\/(png|gif|jpeg|webp)[;,]/i.test(u))
          found.push(['request', `<${tag} ${n}> loads ${u.slice(0, 160)}`]);
      }
    }
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      if (n.startsWith('on')) found.push(['handler', `${n} on <${tag}>: ${snip(el)}`]);
      if (ODD_ATTRS.has(n)) found.push(['element', `${n}= attribute on <${tag}>: ${snip(el)}`]);
      if (URL_ATTRS.has(n) || n.endsWith(':href')) {
        const values = /srcset$/.test(n) ? a.value.split(',').map((c) => c.trim().split(/\s+/)[0]) : [a.value];
        for (const v of values) if (dangerous(v)) found.push(['url', `${n}="${v.slice(0, 120)}" on <${tag}>`]);
      }
    }
    // what a click or a load would really use, after the browser's own URL parsing
    for (const prop of ['href', 'src', 'action', 'formAction']) {
      const v = el[prop];
      if (typeof v === 'string' && v && dangerous(v) && !found.some((f) => f[0] === 'url' && f[1].includes(v.slice(0, 40))))
        found.push(['url', `${prop} resolves to "${v.slice(0, 120)}" on <${tag}>`]);
    }
  }
  if (document.scripts.length) found.push(['script', `document.scripts holds ${document.scripts.length}`]);
  return { found, text: wantText ? document.documentElement.textContent : '' };
}

// ---- a tiny server for the http pass ----------------------------------------------------------

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.png': 'image/png',
  '.json': 'application/json', '.csv': 'text/csv; charset=utf-8', '.svg': 'image/svg+xml' };

function serve(root) {
  const server = http.createServer((req, res) => {
    let file;
    try {
      file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    } catch (e) {
      res.writeHead(400).end();
      return;
    }
    if (file !== root && !file.startsWith(root + path.sep)) return res.writeHead(403).end();
    if (file.endsWith(path.sep)) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) return res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- one pass: every page, a few at a time ----------------------------------------------------

async function pass(browser, { label, base, bypassCSP, presence }) {
  const context = await browser.newContext({ bypassCSP, javaScriptEnabled: true, serviceWorkers: 'block' });
  // window.print() opens no dialog that Playwright sees: make it one that we do
  await context.exposeBinding('__riskregMarker', ({ page }, what) => page.__report('dialog', what));
  await context.addInitScript(() => {
    const mark = window.__riskregMarker;
    window.print = () => mark('print() was called');
    window.open = (u) => mark(`window.open(${u}) was called`);
  });
  const queue = PAGES.slice();
  let loaded = 0;
  const worker = async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    let current = '(none)';
    let currentURL = '';
    const where = () => `${current} [${label}]`;
    page.__report = (family, what) => report(family, where(), what);
    page.on('dialog', (d) => {
      report('dialog', where(), `${d.type()} dialog: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) report('request', where(), `${r.resourceType()} ${r.url()}`);
    });
    page.on('console', (m) => {
      // "Failed to load resource" repeats a request: one out of the site is a 'request' problem,
      // and a broken relative image (Markdown's ![x](x)) is no escape
      if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('Failed to load resource')) {
        const csp = /Content Security Policy|Refused to|blocked/i.test(m.text()) ? 'CSP/blocked ' : '';
        report('console', where(), `${csp}${m.type()}: ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => report('error', where(), `page error: ${e.message}`));
    page.on('popup', (p) => report('error', where(), `popup opened: ${p.url()}`));
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame() && currentURL && f.url().split('#')[0] !== currentURL)
        report('error', where(), `navigated away to ${f.url()}`);
      else if (f !== page.mainFrame()) report('element', where(), `a frame loaded ${f.url()}`);
    });
    for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) {
      current = rel;
      currentURL = base + rel.split('/').map(encodeURIComponent).join('/');
      try {
        const resp = await page.goto(currentURL, { waitUntil: 'load' });
        if (resp && !resp.ok()) report('error', where(), `HTTP ${resp.status()}`);
        const want = presence ? expected.get(rel) || [] : [];
        const { found, text } = await page.evaluate(inspect, [want.length > 0, base]);
        for (const [family, what] of found) report(family, where(), what);
        if (presence) {
          const shown = collapse(text);
          for (const { field, text: t } of want)
            if (!shown.includes(t)) report('presence', where(), `${field} not shown as text: ${JSON.stringify(t)}`);
        }
        loaded++;
      } catch (e) {
        report('error', where(), `could not load and inspect: ${e.message.split('\n')[0]}`);
      }
    }
    currentURL = '';
    return page;
  };
  const pages = await Promise.all(Array.from({ length: WORKERS }, worker));
  await pages[0].waitForTimeout(300); // a late onerror or timer still reports against its page
  await context.close();
  return loaded;
}

(async () => {
  const t0 = Date.now();
  for (const page of expected.keys())
    if (!PAGES.includes(page)) report('coverage', page, 'a page the register should have made is not in the site');
  if (expected.size === 0) report('coverage', path.basename(expectArg), 'no text to look for: the expectations file is empty');
  const server = await serve(SITE);
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
        // nothing leaves this machine even if a payload asks: every host name but ours fails
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    });
  } catch (e) {
    process.stderr.write(`xss.js: cannot start ${CHROMIUM}: ${e.message.split('\n')[0]}\n` +
      'install Debian\'s chromium (apt-get install chromium)\n');
    server.close();
    process.exit(2);
  }
  const fileBase = pathToFileURL(SITE).href + '/';
  const httpBase = `http://127.0.0.1:${server.address().port}/`;
  const nFile = await pass(browser, { label: 'file', base: fileBase, bypassCSP: false, presence: true });
  const nHttp = await pass(browser, { label: 'http, no CSP', base: httpBase, bypassCSP: true, presence: false });
  await browser.close();
  server.close();
  for (const line of [...problems].sort()) console.log(line);
  console.log(`checked ${nFile} pages over file:// and ${nHttp} over http in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(problems.size ? 1 : 0);
})().catch((e) => {
  process.stderr.write(`xss.js: ${e.stack || e}\n`);
  process.exit(2);
});

