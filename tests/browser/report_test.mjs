// report_test.mjs — the HTML report (synnet-test --html) in a real browser,
// opened from disk with every network request refused:
//
//   node tests/browser/report_test.mjs REPORT.html OUT.png [--plots N] [--items N] [--directions N]
//
// Debian's chromium (/usr/bin/chromium, headless) opens file://REPORT.html and:
//   - no console error, page error or request to anything but the file itself
//     (each other request is aborted and is a failure): the file is self-contained;
//   - report.js finishes (body[data-ready]) with no plot that failed;
//   - every plot container (.plot[data-plot]) holds one uPlot whose canvas has
//     a non-zero size and whose data has points; --plots N: there are N of them;
//   - --items N / --directions N: that many traffic items and link directions
//     are shown, and each link direction has its throughput plot;
//   - the document inside the file is the one report.js read (its version);
//   - hovering a change marker shows its text; the replay command's copy
//     button selects it;
//   - a full-page screenshot is saved to OUT.png.
// Exits 0, or prints what failed and exits 1. Run by
// tests/harness/commands/report_browser_test.cpp.
import path from 'node:path';
import {pathToFileURL} from 'node:url';

import puppeteer from 'puppeteer-core';

const usage = 'usage: node report_test.mjs REPORT.html SCREENSHOT.png [--plots N] [--items N] [--directions N]';
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
const fileUrl = pathToFileURL(path.resolve(positional[0])).href;
const screenshot = positional[1];
const TIMEOUT_MS = 60_000;

const failures = [];
const log = (...a) => console.log('report_test:', ...a);

async function main() {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') failures.push(`console error: ${msg.text()} ${JSON.stringify(msg.location())}`);
    });
    page.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const url = req.url();
      if (url === fileUrl || url.startsWith('data:')) {
        req.continue();
      } else {
        failures.push(`the report asked for ${url}: it must not load anything`);
        req.abort();
      }
    });
    await page.setViewport({width: 1400, height: 900});
    await page.goto(fileUrl, {waitUntil: 'load', timeout: 20_000});
    await page.waitForFunction(() => document.body.dataset.ready === 'true', {timeout: 20_000}).catch(() => {
      throw new Error('report.js did not finish (body[data-ready]) within 20 s');
    });

    const seen = await page.evaluate(() => {
      const containers = [...document.querySelectorAll('.plot[data-plot]')];
      return {
        version: window.synnetReport?.doc?.version,
        plotErrors: Number(document.body.dataset.plotErrors),
        items: document.querySelectorAll('article.item').length,
        directions: [...document.querySelectorAll('article.direction')].map((a) => ({
          key: `${a.dataset.link}/${a.dataset.dir}`,
          throughput: !!a.querySelector('.plot[data-plot="link_throughput"] canvas'),
        })),
        plots: containers.map((el) => {
          const canvases = [...el.querySelectorAll('canvas')];
          const p = window.synnetReport.plots.find((q) => q.el === el);
          return {
            what: `${el.dataset.plot} ${el.dataset.item ?? ''}${el.dataset.link ?? ''} ${el.dataset.dir ?? ''}`.trim(),
            uplots: el.querySelectorAll('.uplot').length,
            canvases: canvases.map((c) => [c.width, c.height]),
            points: p ? p.u.data[0].length : 0,
            series: p ? p.u.series.length - 1 : 0,
          };
        }),
      };
    });
    log(`version ${seen.version}, ${seen.items} items, ${seen.directions.length} link directions, ${seen.plots.length} plots`);
    if (seen.version === undefined) failures.push('report.js did not read the report document');
    if (seen.plotErrors !== 0) failures.push(`${seen.plotErrors} plots could not be drawn`);
    if (options.plots !== undefined && seen.plots.length !== Number(options.plots)) {
      failures.push(`${seen.plots.length} plots, expected ${options.plots}: ${seen.plots.map((p) => p.what).join(', ')}`);
    }
    if (options.items !== undefined && seen.items !== Number(options.items)) {
      failures.push(`${seen.items} traffic items shown, expected ${options.items}`);
    }
    if (options.directions !== undefined && seen.directions.length !== Number(options.directions)) {
      failures.push(`${seen.directions.length} link directions shown, expected ${options.directions}`);
    }
    for (const d of seen.directions) {
      if (!d.throughput) failures.push(`link direction ${d.key} has no throughput plot drawn`);
    }
    for (const p of seen.plots) {
      if (p.uplots !== 1) failures.push(`plot ${p.what}: ${p.uplots} uPlot instances, not 1`);
      if (p.canvases.length !== 1 || !(p.canvases[0][0] > 0 && p.canvases[0][1] > 0)) {
        failures.push(`plot ${p.what}: canvases ${JSON.stringify(p.canvases)}, not one of a non-zero size`);
      }
      if (!(p.points > 0) || !(p.series > 0)) failures.push(`plot ${p.what}: ${p.points} points in ${p.series} series`);
    }

    // A change marker shows its text when the pointer is on it (the first plot that has one in view).
    const marker = await page.evaluate(() => {
      const changes = (window.synnetReport.doc.events ?? []).filter((e) => typeof e.t === 'number');
      for (const {el, u} of window.synnetReport.plots) {
        const e = changes.find((c) => c.t >= u.scales.x.min && c.t <= u.scales.x.max);
        if (!e) continue;
        el.scrollIntoView();
        const r = u.over.getBoundingClientRect();
        return {x: r.left + u.valToPos(e.t, 'x'), y: r.top + r.height / 2, what: e.what};
      }
      return null;
    });
    if (marker) {
      await page.mouse.move(marker.x, marker.y);
      const tip = await page
          .waitForFunction(() => [...document.querySelectorAll('.marker-tip')].find((t) => !t.hidden)?.textContent,
              {timeout: 5_000})
          .then((h) => h.jsonValue())
          .catch(() => null);
      if (!tip || !tip.includes(marker.what)) failures.push(`hovering the change marker shows "${tip}", not "${marker.what}"`);
      else log(`marker tip: ${tip}`);
      await page.mouse.move(0, 0);
    }

    // The replay command's copy button selects it (and copies it where the browser lets it).
    if (await page.$('#copy-replay')) {
      await page.click('#copy-replay');
      const status = await page
          .waitForFunction(() => document.getElementById('copy-status').textContent, {timeout: 5_000})
          .then((h) => h.jsonValue())
          .catch(() => '');
      const selected = await page.evaluate(() => window.getSelection().toString());
      const replay = await page.$eval('#replay', (el) => el.textContent);
      if (!status || selected !== replay) failures.push(`copy: status "${status}", selected "${selected}"`);
    }

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({path: screenshot, fullPage: true});
    log(`screenshot: ${screenshot}`);
  } finally {
    await browser.close();
  }
}

const timer = setTimeout(() => {
  console.error(`report_test: FAILED: not done within ${TIMEOUT_MS / 1000} s`, failures.join('\n'));
  process.exit(1);
}, TIMEOUT_MS);
try {
  await main();
} catch (e) {
  failures.push(e.message);
}
clearTimeout(timer);
if (failures.length > 0) {
  console.error('report_test: FAILED:\n  ' + failures.join('\n  '));
  process.exit(1);
}
log('ok');
process.exit(0);
