// page_test.mjs — the web page in a real browser against a running network:
//
//   node tests/browser/page_test.mjs http://127.0.0.1:PORT/ OUT.png [--link NAME] [--dir a_to_b|b_to_a]
//
// Debian's chromium (/usr/bin/chromium, headless) opens the page and:
//   - no console error, page error, failed request or HTTP error answer all along;
//   - the header shows the run (GET /v1/run's name), the forms are prefilled
//     with the directions as they are;
//   - the throughput plot of the direction (default: the first link's a_to_b)
//     shows traffic: some plotted value > 0 (window.synnetPlots);
//   - loss "7%" typed into its form and applied: the API itself (GET
//     /v1/links/{link}/{dir} from here, not from the page) answers loss "7%";
//   - a change marker for it appears (window.synnet.markers, and the list of changes);
//   - a full-page screenshot is saved to OUT.png.
// Exits 0, or prints what failed and exits 1. tests/harness/control/browser_test.cpp
// runs it against `synnet-test up`.
import puppeteer from 'puppeteer-core';

const usage = 'usage: node page_test.mjs URL SCREENSHOT.png [--link NAME] [--dir a_to_b|b_to_a]';
const args = process.argv.slice(2);
const positional = [];
const options = {};
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) options[args[i].slice(2)] = args[++i];
  else positional.push(args[i]);
}
if (positional.length !== 2) {
  console.error(usage);
  process.exit(2);
}
const base = new URL(positional[0]);
const screenshot = positional[1];
const TIMEOUT_MS = 90_000;

const failures = [];
const log = (...a) => console.log('page_test:', ...a);
let closing = false;

async function api(path, init) {
  const res = await fetch(new URL(path, base), init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

async function main() {
  const run = await api('/v1/run');
  const link = options.link ?? run.links?.[0]?.name;
  const dir = options.dir ?? 'a_to_b';
  if (!link) throw new Error(`GET /v1/run has no links: ${JSON.stringify(run)}`);
  const key = `${link}/${dir}`;
  log(`run ${run.name}, checking ${key}`);

  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !closing) failures.push(`console error: ${msg.text()} ${JSON.stringify(msg.location())}`);
    });
    page.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => {
      if (!closing) failures.push(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) failures.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
    });
    await page.setViewport({width: 1400, height: 900});
    await page.goto(base.href, {waitUntil: 'load', timeout: 20_000});
    await page.waitForFunction(() => document.body.dataset.ready === 'true', {timeout: 20_000});

    const header = await page.$eval('#run-name', (el) => el.textContent);
    if (header !== run.name) failures.push(`the header says "${header}", the run is "${run.name}"`);
    const formSel = `form[data-role="impair"][data-link="${link}"][data-dir="${dir}"]`;
    if (!(await page.$(formSel))) throw new Error(`no form ${formSel} on the page`);
    const direction = run.links.find((l) => l.name === link)?.[dir] ?? {};
    const prefilled = await page.$eval(`${formSel} input[name="loss"]`, (el) => el.value);
    const expected = typeof direction.loss === 'string' ? direction.loss : direction.loss ? JSON.stringify(direction.loss) : '';
    if (prefilled !== expected) failures.push(`loss prefilled "${prefilled}", the direction has "${expected}"`);

    log('waiting for traffic on the plots');
    await page
      .waitForFunction(
        (k) => {
          const plots = window.synnetPlots && window.synnetPlots[k];
          return !!plots && plots.throughput.data.slice(1).some((s) => s.some((v) => v > 0));
        },
        {timeout: 30_000, polling: 200},
        key)
      .catch(() => {
        throw new Error(`no traffic on ${key}'s throughput plot within 30 s`);
      });

    const markersBefore = await page.evaluate(() => window.synnet.markers.length);
    log('applying loss 7% through the form');
    const input = await page.$(`${formSel} input[name="loss"]`);
    await input.click({clickCount: 3});
    await page.keyboard.press('Backspace');
    await input.type('7%');
    await page.click(`${formSel} [data-role="apply"]`);
    await page
      .waitForFunction(
        (sel) => {
          const f = document.querySelector(sel);
          return f.querySelector('[data-role="status"]').textContent === 'applied' ||
              f.querySelector('[data-role="error"]').textContent !== '';
        },
        {timeout: 15_000},
        formSel)
      .catch(() => {
        throw new Error('the form said neither "applied" nor an error within 15 s');
      });
    const formError = await page.$eval(`${formSel} [data-role="error"]`, (el) => el.textContent);
    if (formError) throw new Error(`the API refused the form: ${formError}`);

    const now = await api(`/v1/links/${encodeURIComponent(link)}/${dir}`);
    if (now.loss !== '7%') failures.push(`GET /v1/links/${link}/${dir} answers ${JSON.stringify(now)}, not loss "7%"`);
    for (const [k, v] of Object.entries(direction)) {
      if (k !== 'loss' && JSON.stringify(now[k]) !== JSON.stringify(v)) {
        failures.push(`applying loss changed ${k}: ${JSON.stringify(v)} -> ${JSON.stringify(now[k])}`);
      }
    }

    log('waiting for the change marker');
    const marker = await page
      .waitForFunction(
        (n) => {
          const ms = window.synnet.markers;
          return ms.length > n ? ms[ms.length - 1] : null;
        },
        {timeout: 10_000},
        markersBefore)
      .then((h) => h.jsonValue())
      .catch(() => null);
    if (!marker) failures.push('no change marker appeared within 10 s of the change');
    else log(`marker at ${marker.t} s: ${marker.text}`);
    const listed = await page.$$eval('#changes li', (lis) => lis.length);
    if (listed < 1) failures.push('the list of changes is empty');

    await new Promise((r) => setTimeout(r, 1000));  // a redraw or two, with the marker
    await page.screenshot({path: screenshot, fullPage: true});
    log(`screenshot: ${screenshot}`);
    closing = true;
  } finally {
    closing = true;
    await browser.close();
  }
}

const timer = setTimeout(() => {
  console.error(`page_test: FAILED: not done within ${TIMEOUT_MS / 1000} s`, failures.join('\n'));
  process.exit(1);
}, TIMEOUT_MS);
try {
  await main();
} catch (e) {
  failures.push(e.message);
}
clearTimeout(timer);
if (failures.length > 0) {
  console.error('page_test: FAILED:\n  ' + failures.join('\n  '));
  process.exit(1);
}
log('ok');
process.exit(0);
