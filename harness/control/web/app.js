// app.js — the synnet control page: live plots of every link direction and
// controls that change them, through the control API only
// (harness/control/README.md; notes in harness/control/web/README.md).
//
// Data: EventSource('/v1/events') is opened first and its events held, then
// GET /v1/run (the links, the header) and GET /v1/series (the history); the
// held events follow, samples deduplicated by seq. After a reconnect the gap
// is filled from GET /v1/series?since=<last t>.
//
// For tests: window.synnetPlots["<link>/<dir>"] = {throughput, pps, drops,
// delay} (uPlot instances: .data holds the plotted arrays), window.synnet
// (the state: run, markers, lastSeq, lastT), and each direction's section
// carries data-link, data-dir and data-samples.
'use strict';

(() => {
  const WINDOW_S = 300;  // the plots show the last 5 minutes
  const RENDER_MS = 250;  // plots redrawn at most 4 times a second
  const FIELDS = ['loss', 'delay', 'jitter', 'rate', 'corrupt', 'duplicate'];
  const DIRS = ['a_to_b', 'b_to_a'];
  const PALETTE = ['#d62728', '#9467bd', '#8c564b', '#e377c2', '#bcbd22', '#17becf', '#7f7f7f', '#2ca02c'];

  const state = {
    run: null,
    intervalMs: 100,
    lastSeq: -Infinity,
    lastT: 0,
    views: new Map(),  // "<link>/<dir>" -> the direction's view
    markers: [{t: 0, text: 'run started', scope: null}],  // scope: null = every direction
    changesUntil: -1,  // the last change GET /v1/changes listed, by t
    ready: false,
    held: [],  // events that came before the history
    reconnecting: false,
  };
  window.synnet = state;
  window.synnetPlots = {};

  const $ = (sel, root = document) => root.querySelector(sel);

  // ---- the API ----

  async function api(method, path, body) {
    const init = {method, headers: {Accept: 'application/json'}};
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (_) {
      json = null;
    }
    if (!res.ok) {
      let msg = `${res.status} ${res.statusText}`;
      if (json && typeof json.error === 'string') msg = json.error + (json.path ? ` (at ${json.path})` : '');
      const err = new Error(msg);
      err.status = res.status;
      throw err;
    }
    return json;
  }

  const dirPath = (link, dir) => `/v1/links/${encodeURIComponent(link)}/${dir}`;

  // ---- formatting ----

  // Seconds since the run started as m:ss (h:mm:ss past an hour), a tenth when not whole.
  function fmtRunTime(s) {
    if (s == null || !isFinite(s)) return '–';
    const sign = s < 0 ? '-' : '';
    const whole = Math.abs(s - Math.round(s)) < 0.05;
    const total = whole ? Math.round(Math.abs(s)) : Math.abs(s);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const sec = total % 60;
    const secText = whole ? String(sec).padStart(2, '0') : sec.toFixed(1).padStart(4, '0');
    return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${secText}` : `${sign}${m}:${secText}`;
  }

  const fmtValue = (digits) => (u, v) => (v == null ? '–' : v.toFixed(digits));

  function describeValue(v) {
    return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
  }

  function describeDirection(obj) {
    const keys = Object.keys(obj || {});
    return keys.length === 0 ? 'nothing' : keys.map((k) => `${k} ${describeValue(obj[k])}`).join(', ');
  }

  function describePartition(groups) {
    return 'partition ' + groups.map((g) => g.join(',')).join(' | ');
  }

  // ---- the header ----

  function renderHeader() {
    const run = state.run;
    $('#run-name').textContent = run.name ?? '';
    $('#run-seed').textContent = run.seed ?? '';
    $('#run-prefix').textContent = run.prefix ?? '';
    $('#run-file').textContent = run.file ?? '';
    document.title = `synnet ${run.name ?? ''}`;
    const parts = [];
    for (const link of run.links || []) {
      for (const dir of DIRS) {
        const obj = link[dir] || {};
        if (Object.keys(obj).length > 0) parts.push(`${link.name} ${dir}: ${describeDirection(obj)}`);
      }
    }
    for (const p of run.partitions || []) parts.push(describePartition(p));
    const box = $('#run-impaired');
    box.replaceChildren();
    if (parts.length === 0) box.textContent = 'nothing';
    for (const text of parts) {
      const item = document.createElement('span');
      item.className = 'impaired-item';
      item.textContent = text;
      box.appendChild(item);
    }
  }

  function showLoadError(text) {
    const el = $('#load-error');
    el.textContent = text;
    el.hidden = !text;
  }

  // ---- the change markers (a uPlot plugin) ----

  // The directions a change's text concerns: "a-b a_to_b {loss 7%}" -> ["a-b/a_to_b"];
  // a partition, a heal, or anything else: null (all of them).
  function scopeOf(text) {
    for (const key of state.views.keys()) {
      const [link, dir] = key.split('/');
      if (text.startsWith(`${link} ${dir}`)) return [key];
    }
    for (const key of state.views.keys()) {
      const link = key.split('/')[0];
      if (text.startsWith(`${link} `)) return [...state.views.keys()].filter((k) => k.startsWith(`${link}/`));
    }
    return null;
  }

  function addChange(ev) {
    const applied = Array.isArray(ev.applied) ? ev.applied : [String(ev.applied ?? 'change')];
    const scope = new Set();
    let all = false;
    for (const text of applied) {
      const s = scopeOf(text);
      if (s === null) all = true;
      else s.forEach((k) => scope.add(k));
    }
    const marker = {t: Number(ev.t) || 0, text: applied.join('; '), scope: all ? null : scope};
    state.markers.push(marker);
    const li = document.createElement('li');
    li.dataset.t = String(marker.t);
    li.textContent = `${fmtRunTime(marker.t)}  ${marker.text}`;
    $('#changes').appendChild(li);
    $('#changes-count').textContent = String(state.markers.length - 1);
    document.body.dataset.markers = String(state.markers.length);
    scheduleRender(true);
  }

  function markerPlugin(key) {
    let tip = null;
    const concerns = (m) => m.scope === null || m.scope.has(key);
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
          const {top, height} = u.bbox;
          const dpr = window.devicePixelRatio || 1;
          const min = u.scales.x.min;
          const max = u.scales.x.max;
          let lastLabelX = -Infinity;
          ctx.save();
          ctx.font = `${Math.round(10 * dpr)}px sans-serif`;
          ctx.textBaseline = 'top';
          for (const m of state.markers) {
            if (m.t < min || m.t > max) continue;
            const x = Math.round(u.valToPos(m.t, 'x', true));
            const mine = concerns(m);
            ctx.strokeStyle = mine ? '#c0392b' : '#aaaaaa';
            ctx.fillStyle = ctx.strokeStyle;
            ctx.lineWidth = Math.max(1, dpr);
            ctx.setLineDash(mine ? [] : [4 * dpr, 3 * dpr]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            if (mine && x - lastLabelX > 90 * dpr) {
              const label = m.text.length > 28 ? m.text.slice(0, 27) + '…' : m.text;
              // Right of the line, or left of it where it would leave the plot.
              const right = x + 3 * dpr + ctx.measureText(label).width <= u.bbox.left + u.bbox.width;
              ctx.textAlign = right ? 'left' : 'right';
              ctx.fillText(label, right ? x + 3 * dpr : x - 3 * dpr, top + 2 * dpr);
              lastLabelX = x;
            }
          }
          ctx.restore();
        },
        setCursor: (u) => {
          const left = u.cursor.left;
          if (left == null || left < 0) {
            tip.hidden = true;
            return;
          }
          let best = null;
          let bestDist = 8;  // CSS pixels
          for (const m of state.markers) {
            const d = Math.abs(u.valToPos(m.t, 'x') - left);
            if (d < bestDist) {
              best = m;
              bestDist = d;
            }
          }
          if (!best) {
            tip.hidden = true;
            return;
          }
          tip.textContent = `${fmtRunTime(best.t)} ${best.text}`;
          // Beside the line, on the side with more room.
          const x = Math.round(u.valToPos(best.t, 'x'));
          const rightHalf = x > u.over.clientWidth / 2;
          tip.style.left = rightHalf ? '' : `${x + 4}px`;
          tip.style.right = rightHalf ? `${u.over.clientWidth - x + 4}px` : '';
          tip.hidden = false;
        },
      },
    };
  }

  // ---- the plots ----

  function xRange(u, min, max) {
    const hi = Math.max(state.lastT, max ?? 0, 1);
    return [Math.max(0, hi - WINDOW_S), hi];
  }

  function yRange(u, min, max) {
    return [0, max != null && max > 0 ? max * 1.15 : 1];
  }

  function makePlot(el, key, title, series, digits) {
    const opts = {
      title,
      width: Math.max(300, el.clientWidth || 480),
      height: 180,
      scales: {x: {time: false, range: xRange}, y: {range: yRange}},
      axes: [
        {values: (u, splits) => splits.map(fmtRunTime), incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]},
        {size: 56},
      ],
      cursor: {drag: {x: false, y: false}},
      series: [{label: 'run time', value: (u, v) => fmtRunTime(v)}, ...series.map((s) => ({value: fmtValue(digits), width: 1.5, ...s}))],
      plugins: [markerPlugin(key)],
    };
    const data = [[], ...series.map(() => [])];
    return new uPlot(opts, data, el);
  }

  function buildView(link, dir) {
    const key = `${link}/${dir}`;
    const el = $('#direction-template').content.firstElementChild.cloneNode(true);
    el.id = `dir-${link}-${dir}`;
    el.dataset.link = link;
    el.dataset.dir = dir;
    el.dataset.samples = '0';
    $('.link-name', el).textContent = link;
    $('.dir-name', el).textContent = dir;
    const form = $('form', el);
    form.dataset.link = link;
    form.dataset.dir = dir;
    for (const name of FIELDS) form.elements[name].dataset.orig = '';
    $('#links').appendChild(el);

    const plotEl = (name) => {
      const p = $(`[data-plot="${name}"]`, el);
      p.dataset.link = link;
      p.dataset.dir = dir;
      return p;
    };
    const view = {
      key, link, dir, el, form, dirty: false,
      t: [], inMbps: [], outMbps: [], inPps: [], outPps: [], delayMs: [], dropsAll: [],
      drops: new Map(),  // reason -> per-second values, one per t
      plots: {},
    };
    view.plots.throughput = makePlot(plotEl('throughput'), key, 'throughput (Mbit/s)',
        [{label: 'in', stroke: '#1f77b4'}, {label: 'out', stroke: '#ff7f0e'}], 3);
    view.plots.pps = makePlot(plotEl('pps'), key, 'packets per second',
        [{label: 'in', stroke: '#1f77b4'}, {label: 'out', stroke: '#ff7f0e'}], 0);
    view.plots.drops = makePlot(plotEl('drops'), key, 'drops per second, by reason',
        [{label: 'all', stroke: '#444444', dash: [5, 4]}], 0);
    view.plots.delay = makePlot(plotEl('delay'), key, 'queue delay, est. (ms): queue / packets out per s',
        [{label: 'queue delay est.', stroke: '#2ca02c'}], 2);
    window.synnetPlots[key] = view.plots;

    form.addEventListener('input', () => {
      view.dirty = true;
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      applyDirection(view);
    });
    state.views.set(key, view);
    return view;
  }

  function pushSample(view, t, d) {
    const secs = state.intervalMs / 1000;
    const n = view.t.length;
    view.t.push(t);
    if (!d) {
      for (const a of [view.inMbps, view.outMbps, view.inPps, view.outPps, view.delayMs, view.dropsAll]) a.push(null);
      for (const a of view.drops.values()) a.push(null);
      return;
    }
    const num = (v) => (typeof v === 'number' && isFinite(v) ? v : 0);
    view.inMbps.push((num(d.bytes_in) * 8) / secs / 1e6);
    view.outMbps.push((num(d.bytes_out) * 8) / secs / 1e6);
    view.inPps.push(num(d.packets_in) / secs);
    view.outPps.push(num(d.packets_out) / secs);
    const queue = num(d.queue);
    const out = num(d.packets_out);
    view.delayMs.push(out > 0 ? (queue * state.intervalMs) / out : queue > 0 ? null : 0);
    const drops = d.drops && typeof d.drops === 'object' ? d.drops : {};
    let all = 0;
    for (const [reason, count] of Object.entries(drops)) {
      if (!view.drops.has(reason)) view.drops.set(reason, new Array(n).fill(0));
      all += num(count);
    }
    for (const [reason, a] of view.drops) a.push(num(drops[reason]) / secs);
    view.dropsAll.push(all / secs);
  }

  function addSample(s) {
    if (!s || typeof s.seq !== 'number' || s.seq <= state.lastSeq) return;
    state.lastSeq = s.seq;
    state.lastT = Math.max(state.lastT, Number(s.t) || 0);
    for (const view of state.views.values()) pushSample(view, Number(s.t) || 0, s.links?.[view.link]?.[view.dir]);
    scheduleRender(false);
  }

  function trim(view) {
    const from = state.lastT - WINDOW_S;
    let i = 0;
    while (i < view.t.length && view.t[i] < from) i++;
    if (i === 0) return;
    for (const a of [view.t, view.inMbps, view.outMbps, view.inPps, view.outPps, view.delayMs, view.dropsAll]) {
      a.splice(0, i);
    }
    for (const a of view.drops.values()) a.splice(0, i);
  }

  function renderView(view) {
    trim(view);
    const {plots} = view;
    plots.throughput.setData([view.t, view.inMbps, view.outMbps]);
    plots.pps.setData([view.t, view.inPps, view.outPps]);
    // One series per reason seen: a new reason is added to the plot.
    const reasons = [...view.drops.keys()];
    while (plots.drops.series.length - 2 < reasons.length) {
      const i = plots.drops.series.length - 2;
      plots.drops.addSeries({label: reasons[i], stroke: PALETTE[i % PALETTE.length], width: 1.5, value: fmtValue(0)});
    }
    plots.drops.setData([view.t, view.dropsAll, ...reasons.map((r) => view.drops.get(r))]);
    plots.delay.setData([view.t, view.delayMs]);
    view.el.dataset.samples = String(view.t.length);
  }

  let renderTimer = null;
  let lastRender = 0;
  function scheduleRender(soon) {
    if (renderTimer !== null) return;
    const wait = soon ? 0 : Math.max(0, RENDER_MS - (performance.now() - lastRender));
    renderTimer = setTimeout(() => {
      renderTimer = null;
      lastRender = performance.now();
      for (const view of state.views.values()) renderView(view);
      $('#run-time').textContent = fmtRunTime(state.lastT);
    }, wait);
  }

  function resizePlots() {
    for (const view of state.views.values()) {
      for (const [name, u] of Object.entries(view.plots)) {
        const el = $(`[data-plot="${name}"]`, view.el);
        u.setSize({width: Math.max(300, el.clientWidth || 480), height: 180});
      }
    }
  }

  // ---- the controls ----

  function fillForm(view, obj, force) {
    if (view.dirty && !force) return;
    for (const name of FIELDS) {
      const input = view.form.elements[name];
      const v = obj ? obj[name] : undefined;
      input.value = v === undefined || v === null ? '' : describeValue(v);
      input.dataset.orig = input.value;
    }
    view.dirty = false;
  }

  function renderNow(view, obj) {
    $('[data-role="now"]', view.el).textContent = JSON.stringify(obj || {});
  }

  function setMessage(form, error, status) {
    const err = $('[data-role="error"]', form);
    const st = $('[data-role="status"]', form);
    if (err) err.textContent = error || '';
    if (st) st.textContent = status || '';
  }

  async function applyDirection(view) {
    const button = $('[data-role="apply"]', view.form);
    button.disabled = true;
    setMessage(view.form, '', 'applying…');
    try {
      // Start from the direction as it is now, so keys this form does not
      // edit (flows, outage, reorder, ...) are kept.
      const current = (await api('GET', dirPath(view.link, view.dir))) || {};
      const next = {...current};
      for (const name of FIELDS) {
        const input = view.form.elements[name];
        const text = input.value.trim();
        if (text === (input.dataset.orig || '').trim()) continue;  // not edited: as it is now
        if (text === '') {
          delete next[name];
        } else if (text.startsWith('{')) {
          try {
            next[name] = JSON.parse(text);
          } catch (e) {
            throw new Error(`${name}: not JSON (${e.message})`);
          }
        } else {
          next[name] = text;
        }
      }
      const now = await api('PUT', dirPath(view.link, view.dir), next);
      fillForm(view, now, true);
      renderNow(view, now);
      const link = (state.run.links || []).find((l) => l.name === view.link);
      if (link) link[view.dir] = now;
      renderHeader();
      setMessage(view.form, '', 'applied');
    } catch (e) {
      setMessage(view.form, e.message, '');
    } finally {
      button.disabled = false;
    }
  }

  function parseGroups(text) {
    return text
      .split('|')
      .map((g) => g.split(',').map((n) => n.trim()).filter((n) => n !== ''))
      .filter((g) => g.length > 0);
  }

  function setupNetworkControls() {
    const form = $('#partition-form');
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const groups = parseGroups(form.elements.partition.value);
      if (groups.length === 0) {
        setMessage(form, 'give groups of hosts: "n1,n2 | n3"');
        return;
      }
      await post(form, '/v1/partition', {partition: groups});
    });
    $('#heal').addEventListener('click', () => post(form, '/v1/heal', {heal: true}));
  }

  async function post(form, path, body) {
    setMessage(form, '', '');
    try {
      await api('POST', path, body);
    } catch (e) {
      setMessage(form, e.message);
    }
  }

  // After a change: the run again, for the header and the forms (a form
  // being edited is left alone).
  async function refreshRun() {
    try {
      const run = await api('GET', '/v1/run');
      state.run = run;
      renderHeader();
      for (const link of run.links || []) {
        for (const dir of DIRS) {
          const view = state.views.get(`${link.name}/${dir}`);
          if (!view) continue;
          renderNow(view, link[dir]);
          fillForm(view, link[dir], false);
        }
      }
    } catch (e) {
      showLoadError(`GET /v1/run: ${e.message}`);
    }
  }

  // ---- the events ----

  function setStream(text, stateName) {
    const el = $('#run-stream');
    el.textContent = text;
    el.dataset.state = stateName;
  }

  function handleEvent(kind, data) {
    if (!state.ready) {
      state.held.push([kind, data]);
      return;
    }
    if (kind === 'sample') {
      addSample(data);
    } else {
      addChange(data);
      refreshRun();
    }
  }

  function openEvents() {
    const es = new EventSource('/v1/events');
    const parse = (kind) => (e) => {
      let data;
      try {
        data = JSON.parse(e.data);
      } catch (_) {
        return;
      }
      handleEvent(kind, data);
    };
    es.addEventListener('sample', parse('sample'));
    es.addEventListener('change', parse('change'));
    es.addEventListener('open', () => {
      setStream('live', 'live');
      if (state.reconnecting && state.ready) {
        state.reconnecting = false;
        // What came while the stream was down, and the run as it is now.
        api('GET', `/v1/series?since=${state.lastT}`)
          .then((s) => (s.samples || []).forEach(addSample))
          .catch(() => {});
        refreshRun();
      }
    });
    es.addEventListener('error', () => {
      state.reconnecting = true;
      setStream(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting', 'down');
    });
    state.events = es;
  }

  async function start() {
    openEvents();
    setupNetworkControls();
    try {
      state.run = await api('GET', '/v1/run');
      if (state.run.series_interval_ms > 0) state.intervalMs = state.run.series_interval_ms;
      renderHeader();
      for (const link of state.run.links || []) {
        for (const dir of DIRS) {
          const view = buildView(link.name, dir);
          renderNow(view, link[dir]);
          fillForm(view, link[dir], true);
        }
      }
      const history = await api('GET', '/v1/series');
      if (history.interval_ms > 0) state.intervalMs = history.interval_ms;
      for (const s of history.samples || []) addSample(s);
      // The changes made before the page opened; a held event repeats one of them when t is not later.
      const past = await api('GET', '/v1/changes');
      for (const c of past.changes || []) {
        addChange(c);
        state.changesUntil = Math.max(state.changesUntil, Number(c.t) || 0);
      }
    } catch (e) {
      showLoadError(`could not load the run: ${e.message}`);
    }
    state.ready = true;
    for (const [kind, data] of state.held.splice(0)) {
      if (kind !== 'change' || (Number(data.t) || 0) > state.changesUntil) handleEvent(kind, data);
    }
    document.body.dataset.markers = String(state.markers.length);
    document.body.dataset.ready = 'true';
    scheduleRender(true);
    window.addEventListener('resize', () => resizePlots());
  }

  start();
})();
