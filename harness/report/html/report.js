// report.js — draws the plots of the synnet-test HTML report with uPlot (the
// global `uPlot`, inlined before this script). The page itself, tables and
// plot containers, is written by harness/report/html_report.cpp; the data is
// the JSON report (version 4) in the script element #report-data (of type
// application/json). Every time is seconds on the run's clock.
//
// Each div.plot[data-plot=KIND] becomes one uPlot:
//   throughput    items[data-item].intervals: bit/s per interval (at its middle);
//                 TCP retransmits per interval on a right axis when there are any
//   rtt           items[i].replies: the round trip of each ping (ms), and each
//                 lost request as a red point on the time axis
//   loss          lost per 1 s of ping requests (%), or per iperf3 UDP interval
//                 (lost / packets, %)
//   queue_delay   series.links[*][*].queue_delay (ms) during the item, per
//                 link direction (a gap where no packet left the queue)
//   link_throughput  series.links[data-link][data-dir]: bytes_in and bytes_out
//                 × 8 / interval (bit/s)
//   link_drops    drops per second by reason, stacked (each reason's area
//                 sits on the ones before it; the legend shows its own value)
// Expectation bounds (items[i].checks[j].min/max) are bands on the plot of
// their figure: throughput; rtt_min, rtt_avg, rtt_max; loss (green where the
// check passed, red where it failed; an absent bound is the plot's edge).
// Changes (events) are vertical red lines with their text (also on hover);
// on link plots, each item's start is a grey dashed line. Both are drawn by
// uPlot hooks; uPlot draws everything else.
//
// For tests: document.body.dataset.ready is "true" once every plot is made,
// data-plots their count, data-plot-errors the plots that failed (each also
// a console error); window.synnetReport = {doc, plots: [{el, kind, u}]}.
'use strict';

(() => {
  const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];
  const HEIGHT = 220;
  const LOSS_BUCKET_S = 1;

  const doc = JSON.parse(document.getElementById('report-data').textContent);
  const items = Array.isArray(doc.items) ? doc.items : [];
  const series = doc.series && typeof doc.series === 'object' ? doc.series : {};
  const links = series.links && typeof series.links === 'object' ? series.links : {};
  const interval = Number(series.interval) > 0 ? Number(series.interval) : 0.1;
  const plots = [];
  window.synnetReport = {doc, plots};

  const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const arr = (v) => (Array.isArray(v) ? v : []);

  const changes = arr(doc.events)
      .filter((e) => num(e.t) !== null)
      .map((e) => ({t: e.t, text: (e.source ? `${e.source}: ` : '') + String(e.what ?? ''), kind: 'change'}));
  const itemStarts = items
      .filter((it) => num(it.start) !== null)
      .map((it) => ({t: it.start, text: `${it.name} starts`, kind: 'item'}));

  // ---- formatting ----

  function fmtSeconds(v) {
    if (v == null) return '';
    const a = Math.abs(v);
    return `${a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2)} s`;
  }

  function fmtNumber(v, unit) {
    if (v == null) return '–';
    const a = Math.abs(v);
    const s = a === 0 ? '0' : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
    return unit ? `${s} ${unit}` : s;
  }

  // The unit for bit rates up to `max` bit/s: its divisor and name.
  function rateUnit(max) {
    if (max >= 1e9) return {div: 1e9, unit: 'Gbit/s'};
    if (max >= 1e6) return {div: 1e6, unit: 'Mbit/s'};
    if (max >= 1e3) return {div: 1e3, unit: 'kbit/s'};
    return {div: 1, unit: 'bit/s'};
  }

  const maxOf = (values) => values.reduce((m, v) => (v != null && v > m ? v : m), 0);

  // ---- the hooks: expectation bands and markers ----

  function bandsPlugin(bands) {
    return {
      hooks: {
        drawClear: (u) => {
          if (bands.length === 0) return;
          const {ctx} = u;
          const {left, top, width, height} = u.bbox;
          const dpr = window.devicePixelRatio || 1;
          ctx.save();
          ctx.beginPath();
          ctx.rect(left, top, width, height);
          ctx.clip();
          ctx.font = `${Math.round(10 * dpr)}px sans-serif`;
          ctx.textBaseline = 'top';
          bands.forEach((b, i) => {
            const lo = b.lo == null ? u.scales.y.min : b.lo;
            const hi = b.hi == null ? u.scales.y.max : b.hi;
            const y0 = u.valToPos(lo, 'y', true);
            const y1 = u.valToPos(hi, 'y', true);
            const color = b.pass ? '46, 125, 50' : '176, 0, 32';
            ctx.fillStyle = `rgba(${color}, 0.10)`;
            ctx.fillRect(left, Math.min(y0, y1), width, Math.max(1, Math.abs(y0 - y1)));
            ctx.strokeStyle = `rgba(${color}, 0.7)`;
            ctx.lineWidth = dpr;
            ctx.setLineDash([5 * dpr, 4 * dpr]);
            for (const [v, y] of [[b.lo, y0], [b.hi, y1]]) {
              if (v == null) continue;
              ctx.beginPath();
              ctx.moveTo(left, y);
              ctx.lineTo(left + width, y);
              ctx.stroke();
            }
            ctx.fillStyle = `rgba(${color}, 0.9)`;
            ctx.fillText(`expected ${b.text}`, left + 4 * dpr, Math.min(y0, y1) + (2 + 12 * i) * dpr);
          });
          ctx.restore();
        },
      },
    };
  }

  function markersPlugin(markers) {
    let tip = null;
    return {
      hooks: {
        init: (u) => {
          tip = document.createElement('div');
          tip.className = 'marker-tip';
          tip.hidden = true;
          u.over.appendChild(tip);
        },
        draw: (u) => {
          const {ctx} = u;
          const {left, top, width, height} = u.bbox;
          const dpr = window.devicePixelRatio || 1;
          ctx.save();
          ctx.font = `${Math.round(10 * dpr)}px sans-serif`;
          ctx.textBaseline = 'top';
          const shown = markers.filter((m) => m.t >= u.scales.x.min && m.t <= u.scales.x.max).sort((a, b) => a.t - b.t);
          shown.forEach((m, i) => {
            const x = Math.round(u.valToPos(m.t, 'x', true));
            const change = m.kind === 'change';
            ctx.strokeStyle = change ? '#c0392b' : '#999999';
            ctx.fillStyle = ctx.strokeStyle;
            ctx.lineWidth = Math.max(1, dpr);
            ctx.setLineDash(change ? [] : [4 * dpr, 3 * dpr]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            // Its label, right of the line up to the next line of its kind (or the plot's edge), cut to fit.
            const next = shown.slice(i + 1).find((n) => n.kind === m.kind);
            const room = (next ? Math.round(u.valToPos(next.t, 'x', true)) : left + width) - x - 6 * dpr;
            let label = m.text;
            while (label.length > 4 && ctx.measureText(label).width > room) label = `${label.slice(0, -2)}…`;
            if (ctx.measureText(label).width <= room) {
              ctx.textAlign = 'left';
              ctx.fillText(label, x + 3 * dpr, top + (change ? 14 : 26) * dpr);
            }
          });
          ctx.restore();
        },
        setCursor: (u) => {
          const left = u.cursor.left;
          let best = null;
          let bestDist = 8;  // CSS pixels
          if (left != null && left >= 0) {
            for (const m of markers) {
              const d = Math.abs(u.valToPos(m.t, 'x') - left);
              if (d < bestDist) {
                best = m;
                bestDist = d;
              }
            }
          }
          if (!best) {
            tip.hidden = true;
            return;
          }
          tip.textContent = `${fmtSeconds(best.t)} ${best.text}`;
          const x = Math.round(u.valToPos(best.t, 'x'));
          const rightHalf = x > u.over.clientWidth / 2;
          tip.style.left = rightHalf ? '' : `${x + 4}px`;
          tip.style.right = rightHalf ? `${u.over.clientWidth - x + 4}px` : '';
          tip.hidden = false;
        },
      },
    };
  }

  // ---- one plot ----

  // spec: {title, unit, x: [], ys: [{label, values, ...uPlot series options}], bands, markers, xRange, axis2}
  function makePlot(el, spec) {
    const bandTop = maxOf(spec.bands.flatMap((b) => [b.lo, b.hi]));
    const yRange = (u, min, max) => {
      const hi = Math.max(max ?? 0, bandTop);
      return [0, hi > 0 ? hi * 1.15 : 1];
    };
    const xRange = (u, min, max) => {
      let [lo, hi] = spec.xRange ?? [min, max];
      if (lo == null || hi == null) [lo, hi] = [0, 1];
      if (hi - lo < 1e-6) [lo, hi] = [lo - 0.5, hi + 0.5];
      return [lo, hi];
    };
    const scales = {x: {time: false, range: xRange}, y: {range: yRange}};
    const axes = [
      {values: (u, splits) => splits.map(fmtSeconds)},
      {size: 60, values: (u, splits) => splits.map((v) => fmtNumber(v, ''))},
    ];
    if (spec.axis2) {
      scales[spec.axis2.scale] = {range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1]};
      axes.push({scale: spec.axis2.scale, side: 1, size: 50, grid: {show: false}, label: spec.axis2.label});
    }
    const opts = {
      title: spec.title,
      width: Math.max(320, el.clientWidth || 600),
      height: HEIGHT,
      scales,
      axes,
      cursor: {drag: {x: true, y: false}},
      series: [
        {label: 'run time', value: (u, v) => fmtSeconds(v)},
        ...spec.ys.map(({values, ...s}, i) => ({
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          value: (u, v) => fmtNumber(v, spec.unit),
          ...s,
        })),
      ],
      plugins: [bandsPlugin(spec.bands), markersPlugin(spec.markers)],
    };
    const u = new uPlot(opts, [spec.x, ...spec.ys.map((s) => s.values)], el);
    el.dataset.points = String(spec.x.length);
    return u;
  }

  // The bands of an item's checks on `figures`, in the plot's units (value × scale).
  function bandsOf(item, figures, scale) {
    return arr(item.checks)
        .filter((c) => figures.includes(c.figure) && (num(c.min) !== null || num(c.max) !== null))
        .map((c) => ({
          lo: num(c.min) === null ? null : c.min * scale,
          hi: num(c.max) === null ? null : c.max * scale,
          text: `${c.figure} ${c.expected ?? ''}`,
          pass: !!c.pass,
        }));
  }

  function itemRange(item) {
    const start = num(item.start);
    const seconds = num(item.seconds);
    return start === null ? null : [start, start + (seconds ?? 0)];
  }

  const showPoints = (n) => ({show: n <= 60, size: 5});

  // ---- the plots by kind ----

  const builders = {
    throughput(el, item) {
      const iv = arr(item.intervals).filter((i) => num(i.start) !== null && num(i.end) !== null);
      const bps = iv.map((i) => num(i.bits_per_second));
      const bands = bandsOf(item, ['throughput'], 1);
      const {div, unit} = rateUnit(Math.max(maxOf(bps), maxOf(bands.flatMap((b) => [b.lo, b.hi]))));
      const ys = [{label: 'throughput', values: bps.map((v) => (v == null ? null : v / div)), points: showPoints(iv.length)}];
      const retransmits = iv.map((i) => num(i.retransmits));
      let axis2 = null;
      if (retransmits.some((v) => v !== null)) {
        ys.push({label: 'retransmits', scale: 'count', values: retransmits, stroke: '#d62728', width: 1,
          dash: [4, 3], value: (u, v) => fmtNumber(v, '')});
        axis2 = {scale: 'count', label: 'retransmits'};
      }
      return makePlot(el, {
        title: `throughput (${unit})`, unit, x: iv.map((i) => (i.start + i.end) / 2), ys, axis2,
        bands: bands.map((b) => ({...b, lo: b.lo == null ? null : b.lo / div, hi: b.hi == null ? null : b.hi / div})),
        markers: changes, xRange: itemRange(item),
      });
    },

    rtt(el, item) {
      const replies = arr(item.replies).filter((r) => num(r.t) !== null);
      const rtt = replies.map((r) => (num(r.rtt) === null ? null : r.rtt * 1000));
      const lost = replies.map((r) => (num(r.rtt) === null ? 0 : null));
      const nLost = lost.filter((v) => v !== null).length;
      return makePlot(el, {
        title: `RTT per ping (ms): ${replies.length} requests, ${nLost} lost`, unit: 'ms',
        x: replies.map((r) => r.t),
        ys: [
          {label: 'rtt', values: rtt, points: showPoints(replies.length)},
          {label: 'lost', values: lost, stroke: '#d62728', paths: () => null,
            points: {show: true, size: 7, fill: '#d62728'}, value: (u, v) => (v == null ? '' : 'no reply')},
        ],
        bands: bandsOf(item, ['rtt_min', 'rtt_avg', 'rtt_max'], 1000),
        markers: changes, xRange: itemRange(item),
      });
    },

    loss(el, item) {
      const ys = [];
      let x = [];
      const replies = arr(item.replies).filter((r) => num(r.t) !== null);
      if (replies.length > 0) {
        const origin = num(item.start) ?? replies[0].t;
        const buckets = new Map();  // bucket index -> [sent, lost]
        for (const r of replies) {
          const k = Math.max(0, Math.floor((r.t - origin) / LOSS_BUCKET_S));
          const b = buckets.get(k) ?? [0, 0];
          b[0] += 1;
          b[1] += num(r.rtt) === null ? 1 : 0;
          buckets.set(k, b);
        }
        const keys = [...buckets.keys()].sort((a, b) => a - b);
        x = keys.map((k) => origin + (k + 0.5) * LOSS_BUCKET_S);
        ys.push({label: `ping requests lost per ${LOSS_BUCKET_S} s`, values: keys.map((k) => (100 * buckets.get(k)[1]) / buckets.get(k)[0]),
          points: showPoints(keys.length)});
      } else {
        const iv = arr(item.intervals).filter((i) => num(i.start) !== null && num(i.end) !== null);
        x = iv.map((i) => (i.start + i.end) / 2);
        ys.push({label: 'datagrams lost per interval',
          values: iv.map((i) => (num(i.lost) !== null && num(i.packets) > 0 ? (100 * i.lost) / i.packets : null)),
          points: showPoints(iv.length)});
      }
      return makePlot(el, {
        title: 'loss (%)', unit: '%', x, ys, bands: bandsOf(item, ['loss'], 100), markers: changes,
        xRange: itemRange(item),
      });
    },

    queue_delay(el, item) {
      const range = itemRange(item);
      const tables = [];
      const labels = [];
      for (const [link, dirs] of Object.entries(links)) {
        for (const [dir, c] of Object.entries(dirs ?? {})) {
          const t = arr(c.t);
          const delay = arr(c.queue_delay);
          const keep = t.map((v, i) => i).filter((i) => num(t[i]) !== null && t[i] >= range[0] && t[i] <= range[1]);
          if (!keep.some((i) => num(delay[i]) !== null)) continue;
          tables.push([keep.map((i) => t[i]), keep.map((i) => (num(delay[i]) === null ? null : delay[i] * 1000))]);
          labels.push(`${link} ${dir}`);
        }
      }
      const joined = tables.length > 0 ? uPlot.join(tables) : [[]];
      return makePlot(el, {
        title: 'queueing delay (ms, mean per sample)', unit: 'ms', x: joined[0],
        ys: labels.map((label, i) => ({label, values: joined[i + 1]})), bands: [], markers: changes, xRange: range,
      });
    },

    link_throughput(el, link, dir) {
      const c = links[link][dir];
      const toBps = (bytes) => arr(bytes).map((v) => (num(v) === null ? null : (v * 8) / interval));
      const bin = toBps(c.bytes_in);
      const bout = toBps(c.bytes_out);
      const {div, unit} = rateUnit(Math.max(maxOf(bin), maxOf(bout)));
      const scaled = (values) => values.map((v) => (v == null ? null : v / div));
      return makePlot(el, {
        title: `throughput (${unit}): into the impairments and out of them`, unit, x: arr(c.t),
        ys: [{label: 'in', values: scaled(bin)}, {label: 'out', values: scaled(bout)}],
        bands: [], markers: [...changes, ...itemStarts], xRange: null,
      });
    },

    link_drops(el, link, dir) {
      const c = links[link][dir];
      const t = arr(c.t);
      const drops = c.drops && typeof c.drops === 'object' ? c.drops : {};
      const reasons = Object.keys(drops).filter((r) => arr(drops[r]).some((v) => num(v) > 0));
      const perSecond = reasons.map((r) => t.map((_, i) => (num(arr(drops[r])[i]) ?? 0) / interval));
      // Stacked: reason k plots the sum of reasons 0..k; drawn from the top
      // (the sum of all) down, each filled to 0, so each band shows one reason.
      const stacked = [];
      perSecond.forEach((values, k) => stacked.push(values.map((v, i) => v + (k > 0 ? stacked[k - 1][i] : 0))));
      const ys = reasons.map((reason, k) => ({
        label: reason, values: stacked[k], stroke: PALETTE[(k + 3) % PALETTE.length],
        fill: PALETTE[(k + 3) % PALETTE.length], value: (u, v, si, idx) => fmtNumber(idx == null ? null : perSecond[k][idx], '/s'),
      })).reverse();
      return makePlot(el, {
        title: 'drops per second, stacked by reason', unit: '/s', x: t, ys, bands: [],
        markers: [...changes, ...itemStarts], xRange: null,
      });
    },
  };

  function build(el) {
    const kind = el.dataset.plot;
    if (!builders[kind]) throw new Error(`no plot of kind "${kind}"`);
    if (el.dataset.item !== undefined) {
      const item = items[Number(el.dataset.item)];
      if (!item) throw new Error(`no item ${el.dataset.item} in the report`);
      return builders[kind](el, item);
    }
    const {link, dir} = el.dataset;
    if (!links[link] || !links[link][dir]) throw new Error(`no series for ${link} ${dir} in the report`);
    return builders[kind](el, link, dir);
  }

  let errors = 0;
  for (const el of document.querySelectorAll('.plot[data-plot]')) {
    try {
      plots.push({el, kind: el.dataset.plot, u: build(el)});
    } catch (e) {
      errors += 1;
      el.classList.add('plot-error');
      el.textContent = `this plot could not be drawn: ${e.message}`;
      console.error(`report: the ${el.dataset.plot} plot:`, e);
    }
  }

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const p of plots) p.u.setSize({width: Math.max(320, p.el.clientWidth), height: HEIGHT});
    }, 100);
  });

  const copy = document.getElementById('copy-replay');
  if (copy) {
    copy.addEventListener('click', async () => {
      const code = document.getElementById('replay');
      const status = document.getElementById('copy-status');
      const range = document.createRange();
      range.selectNodeContents(code);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      let copied = false;
      try {
        await navigator.clipboard.writeText(code.textContent);
        copied = true;
      } catch (_) {
        try {
          copied = document.execCommand('copy');
        } catch (_) {
          copied = false;
        }
      }
      status.textContent = copied ? 'copied' : 'selected: press Ctrl-C to copy';
    });
  }

  document.body.dataset.plots = String(plots.length);
  document.body.dataset.plotErrors = String(errors);
  document.body.dataset.ready = 'true';
})();
