// Gogobe fleet dashboard: one EventSource on /api/stream-status (contract: fleet, metrics, log, run, db events).
// Plain JS, no build step. Every number is written as text (and as data-value) so the page stays useful
// when Chart.js cannot load; only the sparklines degrade to a hand-drawn line.
'use strict';

const CHART_CDN = 'https://cdn.jsdelivr.net/npm/chart.js@4/dist/chart.umd.min.js';
const CHART_LOCAL = '/lib/chart.umd.min.js';
const SPARK_POINTS = 120;   // two minutes at the default one metrics event per second
const LOG_LINES = 1000;     // the server buffers the last 1,000 lines too

const $ = id => document.getElementById(id);
const nf = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

const state = {
  chains: [], selected: null, runId: null, runState: 'None',
  session: null, sessionBase: 0, follow: true, logs: [], dbOk: true, streamOpen: false,
  spark: { prices: [], skus: [] }, charts: {},
};

// ---------- numbers ----------
function setNum(id, value, text) {
  const el = $(id);
  if (!el) return;
  el.dataset.value = value ?? '';
  el.textContent = text ?? (value == null ? '–' : nf.format(value));
}
function fmtRate(v) { return v == null ? '–' : v >= 100 ? nf.format(v) : nf1.format(v); }
function fmtDuration(seconds) {
  if (seconds == null || !isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
  const two = n => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}
function fmtTime(iso) { return iso ? new Date(iso).toLocaleTimeString() : '–'; }
function setGauge(id, percent, color) {
  const ring = $(id).querySelector('.ring');
  const p = percent == null || !isFinite(percent) ? 0 : Math.max(0, Math.min(100, percent));
  ring.style.setProperty('--p', p.toFixed(1));
  if (color) ring.style.setProperty('--c', color);
}
// Higher is better for coverage/reliability/activity; for load, higher is worse.
function goodColor(p) { return p == null ? 'var(--wait)' : p >= 90 ? 'var(--ok)' : p >= 60 ? 'var(--warn)' : 'var(--err)'; }
function loadColor(p) { return p == null ? 'var(--wait)' : p < 70 ? 'var(--run)' : p < 90 ? 'var(--warn)' : 'var(--err)'; }
function pct(part, whole) { return whole > 0 ? part * 100 / whole : null; }

// ---------- fleet ----------
function renderFleet(fleet) {
  state.chains = fleet.chains ?? [];
  const counts = { Waiting: 0, Running: 0, Done: 0, Error: 0 };
  const box = $('chips');
  const existing = new Map([...box.children].map(c => [c.dataset.chain, c]));
  const seen = new Set();
  for (const c of state.chains) {
    counts[c.state] = (counts[c.state] ?? 0) + 1;
    let chip = existing.get(c.name);
    if (!chip) {
      chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip';
      chip.setAttribute('role', 'listitem');
      chip.dataset.testid = 'chip';
      chip.setAttribute('data-testid', 'chip');
      chip.dataset.chain = c.name;
      chip.innerHTML = '<span class="name"></span><span class="meta"></span>';
      chip.addEventListener('click', () => select(state.selected === c.name ? null : c.name));
      chip.addEventListener('mouseenter', () => { if (!state.pinned) showDetail(c.name); });
      chip.addEventListener('mouseleave', () => { if (!state.pinned) showDetail(state.selected); });
    }
    box.appendChild(chip);  // keeps server order
    seen.add(c.name);
    const f = c.files ?? {};
    chip.dataset.state = c.state;
    chip.dataset.chainId = c.id ?? '';
    chip.dataset.completed = f.completed ?? 0;
    chip.dataset.failed = f.failed ?? 0;
    chip.dataset.skipped = f.skipped ?? 0;
    chip.dataset.processing = f.processing ?? 0;
    chip.dataset.rowsRead = c.rowsRead ?? 0;
    chip.dataset.rowsChanged = c.rowsChanged ?? 0;
    chip.title = `${c.name} — ${c.state}${c.lastError ? `\n${c.lastError}` : ''}`;
    chip.querySelector('.name').textContent = c.name;
    const done = (f.completed ?? 0) + (f.skipped ?? 0);
    chip.querySelector('.meta').textContent = c.state === 'Waiting'
      ? 'waiting'
      : `${nf.format(done)} files · ${nf.format(c.rowsChanged ?? 0)} Δ${f.failed ? ` · ${f.failed} ✗` : ''}`;
  }
  for (const [name, chip] of existing) if (!seen.has(name)) chip.remove();
  for (const [k, v] of Object.entries(counts)) setNum(`count-${k.toLowerCase()}`, v);
  box.dataset.total = state.chains.length;
  refreshLogChains();
  showDetail(state.selected);
}

function select(name) {
  state.selected = name;
  state.pinned = name != null;
  for (const chip of $('chips').children) chip.setAttribute('aria-expanded', String(chip.dataset.chain === name));
  showDetail(name);
}

function showDetail(name) {
  const box = $('chip-detail');
  const c = state.chains.find(x => x.name === name);
  if (!c) { box.hidden = true; box.replaceChildren(); return; }
  const f = c.files ?? {};
  const item = (k, v, cls = '') => {
    const d = document.createElement('div');
    if (cls) d.className = cls;
    const ks = document.createElement('span'); ks.className = 'k'; ks.textContent = k;
    const vs = document.createElement('span'); vs.className = 'v'; vs.textContent = v ?? '–';
    d.append(ks, vs);
    return d;
  };
  const title = document.createElement('div');
  title.className = 'title';
  const t = document.createElement('span');
  t.textContent = `${c.name} · ${c.state}${c.family ? ` · ${c.family}` : ''}`;
  title.append(t);
  if (state.runId && state.runState === 'Running' && c.state !== 'Done' && c.state !== 'Error' && c.id) {
    const stop = document.createElement('button');
    stop.type = 'button'; stop.className = 'danger'; stop.textContent = 'Abort this chain';
    stop.dataset.testid = 'abort-chain';
    stop.addEventListener('click', () => abortChain(c));
    title.append(stop);
  }
  const children = [title,
    item('Files completed', nf.format(f.completed ?? 0)), item('Failed', nf.format(f.failed ?? 0)),
    item('Skipped', nf.format(f.skipped ?? 0)), item('Processing', nf.format(f.processing ?? 0)),
    item('Rows read', nf.format(c.rowsRead ?? 0)), item('Rows changed', nf.format(c.rowsChanged ?? 0)),
    item('Started', fmtTime(c.startedAt)), item('Finished', fmtTime(c.finishedAt)),
    item('Last file', c.lastFile ?? '–', 'wide')];
  if (c.lastError) children.push(item('Last error', c.lastError, 'wide err'));
  box.replaceChildren(...children);
  box.dataset.chain = c.name;
  box.hidden = false;
}

// ---------- metrics ----------
function renderMetrics(m) {
  setNum('prices-per-second', m.pricesPerSecond, fmtRate(m.pricesPerSecond));
  setNum('new-skus-per-second', m.newSkusPerSecond, fmtRate(m.newSkusPerSecond));
  setNum('prices-total', m.pricesTotal);
  setNum('skus-total', m.skusTotal);

  setNum('cpu-percent', m.cpuPercent, m.cpuPercent == null ? '–' : `${Math.round(m.cpuPercent)}%`);
  setGauge('gauge-cpu', m.cpuPercent, loadColor(m.cpuPercent));
  setNum('ram-percent', m.ramPercent, m.ramPercent == null ? '–' : `${Math.round(m.ramPercent)}%`);
  setGauge('gauge-ram', m.ramPercent, loadColor(m.ramPercent));
  $('ram-detail').textContent = m.ramTotalMb ? `${nf.format(m.ramUsedMb)} / ${nf.format(m.ramTotalMb)} MB` : '';

  const fa = m.fleetActivity ?? {};
  const faP = pct(fa.active, fa.registered);
  setNum('fleet-activity-percent', faP, faP == null ? '–' : `${Math.round(faP)}%`);
  setNum('fleet-activity', fa.active, `${nf.format(fa.active ?? 0)} / ${nf.format(fa.registered ?? 0)} chains`);
  setGauge('gauge-fleet', faP, goodColor(faP));

  const r = m.reliability ?? {};
  setNum('reliability-percent', r.percent, r.percent == null ? '–' : `${nf1.format(r.percent)}%`);
  setNum('reliability', r.completed, `${nf.format(r.completed ?? 0)} ok · ${nf.format(r.failed ?? 0)} failed`);
  setGauge('gauge-reliability', r.percent, goodColor(r.percent));

  const sc = m.storeCoverage ?? {};
  setNum('store-coverage-percent', sc.percent, sc.percent == null ? '–' : `${Math.round(sc.percent)}%`);
  setNum('store-coverage', sc.covered, `${nf.format(sc.covered ?? 0)} / ${nf.format(sc.active ?? 0)} stores`);
  setGauge('gauge-coverage', sc.percent, goodColor(sc.percent));

  const eta = m.eta ?? {};
  setNum('eta', eta.seconds, eta.seconds == null ? (state.runState === 'Running' ? 'estimating…' : '–') : fmtDuration(eta.seconds));
  $('eta-detail').textContent = `${eta.waiting ?? 0} waiting · ${eta.running ?? 0} running · ${eta.workers ?? 0} workers`;

  state.session = m.session ?? null;
  state.sessionBase = performance.now();
  renderSession();

  pushSpark('prices', m.pricesPerSecond ?? 0, m.at);
  pushSpark('skus', m.newSkusPerSecond ?? 0, m.at);
  $('updated').textContent = `updated ${fmtTime(m.at)}`;
}

// The timer ticks locally between metrics events; coloured against the historical average run.
function renderSession() {
  const s = state.session;
  const el = $('session-timer');
  if (!s || s.elapsedSeconds == null) {
    setNum('session-timer', null);
    el.dataset.level = 'none';
  } else {
    const running = state.runState === 'Running';
    const elapsed = s.elapsedSeconds + (running ? (performance.now() - state.sessionBase) / 1000 : 0);
    el.textContent = fmtDuration(elapsed);
    el.dataset.value = s.elapsedSeconds;
    const avg = s.averageRunSeconds;
    el.dataset.level = !avg ? 'none' : elapsed <= avg ? 'good' : elapsed <= avg * 1.25 ? 'slow' : 'late';
  }
  $('session-average').textContent = s?.averageRunSeconds ? `average ${fmtDuration(s.averageRunSeconds)}` : 'no history yet';
}

// ---------- sparklines ----------
function pushSpark(key, value, at) {
  const series = state.spark[key];
  series.push({ t: at ? new Date(at).toLocaleTimeString() : '', v: value });
  if (series.length > SPARK_POINTS) series.shift();
  drawSpark(key);
}

function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

function drawSpark(key) {
  const canvas = $(key === 'prices' ? 'spark-prices' : 'spark-skus');
  const series = state.spark[key];
  const color = key === 'prices' ? cssVar('--run') : cssVar('--ok');
  if (window.Chart) {
    let chart = state.charts[key];
    if (!chart) {
      chart = state.charts[key] = new window.Chart(canvas, {
        type: 'line',
        data: { labels: [], datasets: [{ data: [], borderColor: color, backgroundColor: color + '26', fill: true, borderWidth: 2, pointRadius: 0, tension: .35 }] },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false }, tooltip: { intersect: false, mode: 'index' } },
          scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
        },
      });
    }
    chart.data.labels = series.map(p => p.t);
    chart.data.datasets[0].data = series.map(p => p.v);
    chart.update('none');
    return;
  }
  // Without Chart.js: a plain polyline, so the trend is still visible.
  const rect = canvas.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, rect.width * dpr); canvas.height = Math.max(1, rect.height * dpr);
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (series.length < 2) return;
  const max = Math.max(1, ...series.map(p => p.v));
  const step = canvas.width / (SPARK_POINTS - 1);
  const x0 = canvas.width - (series.length - 1) * step;
  ctx.beginPath();
  series.forEach((p, i) => {
    const x = x0 + i * step, y = canvas.height - 2 * dpr - (p.v / max) * (canvas.height - 4 * dpr);
    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.strokeStyle = color; ctx.lineWidth = 2 * dpr; ctx.stroke();
}

function loadScript(src, timeoutMs) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    const timer = setTimeout(() => { s.remove(); reject(new Error(`timeout ${src}`)); }, timeoutMs);
    s.src = src; s.async = true;
    s.onload = () => { clearTimeout(timer); window.Chart ? resolve() : reject(new Error(`no Chart in ${src}`)); };
    s.onerror = () => { clearTimeout(timer); s.remove(); reject(new Error(`failed ${src}`)); };
    document.head.appendChild(s);
  });
}

async function loadChart() {
  let source = 'none';
  try { await loadScript(CHART_CDN, 5000); source = 'cdn'; } catch {
    try { await loadScript(CHART_LOCAL, 5000); source = 'local'; } catch { /* numbers still show; sparklines use the canvas fallback */ }
  }
  document.documentElement.dataset.chart = source;
  if (window.Chart) { drawSpark('prices'); drawSpark('skus'); }
}

// ---------- log ----------
const LEVEL_RANK = { info: 0, warning: 1, error: 2 };
function logVisible(l) {
  const chain = $('log-chain').value, level = $('log-level').value;
  return (!chain || l.chain === chain) && (!level || (LEVEL_RANK[l.level] ?? 0) >= LEVEL_RANK[level]);
}
function logLine(l) {
  const div = document.createElement('div');
  div.className = `line lv-${l.level}`;
  const t = document.createElement('span'); t.className = 't'; t.textContent = new Date(l.at).toLocaleTimeString() + ' ';
  const c = document.createElement('span'); c.className = 'c'; c.textContent = l.chain ? `[${l.chain}] ` : '';
  const m = document.createElement('span'); m.className = 'm'; m.textContent = `${l.level === 'info' ? '' : l.level.toUpperCase() + ' '}${l.message}`;
  div.append(t, c, m);
  return div;
}
function addLog(l) {
  state.logs.push(l);
  if (state.logs.length > LOG_LINES) state.logs.shift();
  const term = $('log');
  term.querySelector('.empty')?.remove();
  if (logVisible(l)) {
    term.appendChild(logLine(l));
    while (term.children.length > LOG_LINES) term.firstChild.remove();
    if (state.follow) term.scrollTop = term.scrollHeight;
  }
  term.dataset.count = state.logs.length;
}
function rerenderLog() {
  const term = $('log');
  const lines = state.logs.filter(logVisible).map(logLine);
  if (lines.length === 0) {
    const e = document.createElement('div'); e.className = 'empty';
    e.textContent = state.logs.length ? 'no lines match the filter' : 'no log lines yet — start a run';
    lines.push(e);
  }
  term.replaceChildren(...lines);
  if (state.follow) term.scrollTop = term.scrollHeight;
}
function refreshLogChains() {
  const sel = $('log-chain');
  const have = new Set([...sel.options].map(o => o.value));
  for (const c of state.chains) if (!have.has(c.name)) sel.add(new Option(c.name, c.name));
}
function setFollow(on) {
  state.follow = on;
  const b = $('log-follow');
  b.setAttribute('aria-pressed', String(on));
  b.textContent = on ? 'Pause' : 'Follow';
  if (on) $('log').scrollTop = $('log').scrollHeight;
}

// ---------- run / db / connection ----------
function renderRun(r) {
  state.runId = r.runId ?? null;
  state.runState = r.state ?? 'None';
  const el = $('run-state');
  el.dataset.state = state.runState;
  el.dataset.runId = state.runId ?? '';
  el.textContent = state.runState === 'Running' ? `running since ${fmtTime(r.startedAt)}`
    : state.runState === 'Finished' ? 'last run finished' : 'no run';
  $('abort-run').disabled = state.runState !== 'Running' || !state.runId;
  showDetail(state.selected);
}
function renderDb(d) {
  state.dbOk = !!d.ok;
  setConnection();
  if (!d.ok) flash(`Database unreachable: ${d.error ?? 'unknown error'} — retrying`, 'error');
}
function setConnection(override) {
  const el = $('connection');
  const s = override ?? (!state.dbOk ? 'dbdown' : state.streamOpen ? 'live' : 'reconnecting');
  el.dataset.state = s;
  $('connection-text').textContent = { live: 'live', reconnecting: 'reconnecting…', dbdown: 'DB down', connecting: 'connecting…', polling: 'polling' }[s] ?? s;
}

let flashTimer;
function flash(text, kind = 'info') {
  const el = $('flash');
  el.textContent = text; el.dataset.kind = kind; el.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => { el.hidden = true; }, 8000);
}

async function problemText(response) {
  try { const p = await response.json(); return p.detail || p.title || `HTTP ${response.status}`; } catch { return `HTTP ${response.status}`; }
}

async function startRun() {
  const b = $('start-run');
  b.disabled = true;
  try {
    const response = await fetch('/api/runs', { method: 'POST' });
    if (response.status === 409) { flash('A run is already going.', 'info'); return; }
    if (!response.ok) { flash(`Could not start a run: ${await problemText(response)}`, 'error'); return; }
    const body = await response.json();
    renderRun({ runId: body.runId, state: 'Running', startedAt: new Date().toISOString() });
    flash(`Run ${body.runId} started.`, 'ok');
  } catch (e) {
    flash(`Could not start a run: ${e.message}`, 'error');
  } finally {
    b.disabled = false;
  }
}
async function abortRun() {
  if (!state.runId) return;
  const response = await fetch(`/api/runs/${encodeURIComponent(state.runId)}`, { method: 'DELETE' }).catch(e => ({ ok: false, status: 0, statusText: e.message }));
  if (response.ok) flash('Abort requested; chains stop after their current file.', 'ok');
  else if (response.status === 409) flash('That run is already over.', 'info');
  else flash(`Abort failed: ${response.status ? await problemText(response) : response.statusText}`, 'error');
}
async function abortChain(c) {
  if (!state.runId) return;
  const response = await fetch(`/api/runs/${encodeURIComponent(state.runId)}/chains/${encodeURIComponent(c.id)}`, { method: 'DELETE' }).catch(() => null);
  if (response?.ok) flash(`Abort requested for ${c.name}.`, 'ok');
  else flash(`Abort for ${c.name} failed: ${response ? await problemText(response) : 'network error'}`, 'error');
}

// ---------- stream ----------
function parse(e) { try { return JSON.parse(e.data); } catch { return null; } }
function connect() {
  const es = new EventSource('/api/stream-status');
  es.onopen = () => { state.streamOpen = true; setConnection(); };
  es.onerror = () => { state.streamOpen = false; setConnection(es.readyState === EventSource.CLOSED ? 'reconnecting' : undefined);
    // EventSource gives up for good on an HTTP error (e.g. 404/503); retry ourselves so the page heals by itself.
    if (es.readyState === EventSource.CLOSED) setTimeout(connect, 3000); };
  es.addEventListener('fleet', e => { const d = parse(e); if (d) renderFleet(d); });
  es.addEventListener('metrics', e => { const d = parse(e); if (d) renderMetrics(d); });
  es.addEventListener('log', e => { const d = parse(e); if (d) addLog(d); });
  es.addEventListener('run', e => { const d = parse(e); if (d) renderRun(d); });
  es.addEventListener('db', e => { const d = parse(e); if (d) renderDb(d); });
}

function init() {
  $('start-run').addEventListener('click', startRun);
  $('abort-run').addEventListener('click', abortRun);
  $('log-chain').addEventListener('change', rerenderLog);
  $('log-level').addEventListener('change', rerenderLog);
  $('log-follow').addEventListener('click', () => setFollow(!state.follow));
  // Scrolling up pauses auto-scroll; reaching the bottom again resumes it.
  $('log').addEventListener('scroll', () => {
    const t = $('log');
    const atBottom = t.scrollHeight - t.scrollTop - t.clientHeight < 8;
    if (!atBottom && state.follow) setFollow(false);
    else if (atBottom && !state.follow) setFollow(true);
  });
  document.addEventListener('keydown', e => { if (e.key === 'Escape') select(null); });
  rerenderLog();
  setInterval(renderSession, 1000);
  loadChart();
  connect();
}
init();
