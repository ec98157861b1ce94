// annalist analyst page: the timeline JSON (and a digest, when given) embedded in the
// page, shown with no network and no library. The list renders only the rows in view
// and the axis counts events per bin, so ten thousand events stay responsive. State
// lives in the URL hash (#type=visit&open=EV3), so a view can be shared and reopened.
// The list shows the most salient events first (each event's "salience"; a file without
// it keeps the timeline's order), or in time order (#order=time).
"use strict";
const T0 = performance.now();
const D = JSON.parse(document.getElementById("data").textContent);
const TL = D.timeline;
const DAY = 86400000;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const dayNum = (s) => {
  const t = s ? Date.parse(s + "T00:00:00Z") : NaN;
  return Number.isFinite(t) ? Math.floor(t / DAY) : null;
};
// Only web links are followed: a "javascript:" URL in the data stays text.
const safeUrl = (u) => /^https?:\/\//i.test(String(u || ""));
const dayStr = (n) => new Date(n * DAY).toISOString().slice(0, 10);

const entities = new Map(TL.entities.map((e) => [e.id, e]));
const docs = new Map(TL.documents.map((d) => [d.id, d]));
const events = TL.events.map((e, i) => {
  const ids = new Set([...e.participants.map((p) => p.entity), ...e.places, ...(e.reported_by || [])]);
  const names = [...ids].map((id) => (entities.get(id) || {}).name || "").join(" ");
  const text = [e.summary, e.trigger, names, ...e.sources.map((s) => s.sentence)].join(" ").toLowerCase();
  return { e, i, start: dayNum(e.time.start), end: dayNum(e.time.end), ids, docs: new Set(e.sources.map((s) => s.doc)), text };
});
const byId = new Map(events.map((x) => [x.e.id, x]));
// Most salient first; of equal salience, in timeline order.
const ranked = [...events].sort((a, b) => (b.e.salience ?? 0) - (a.e.salience ?? 0) || a.i - b.i);
// Names to highlight: each document's entity mentions, [start, end, entity id].
const mentions = new Map();
for (const ent of TL.entities) for (const m of ent.mentions) {
  if (!mentions.has(m.doc)) mentions.set(m.doc, []);
  mentions.get(m.doc).push([m.start, m.end, ent.id]);
}

const state = { q: "", types: new Set(), facts: new Set(), entity: null, doc: null, from: null, to: null, undated: true, zoom: "auto",
  order: "salience", open: null };

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  const set = (k) => new Set((h.get(k) || "").split(",").filter(Boolean));
  Object.assign(state, { q: h.get("q") || "", types: set("type"), facts: set("fact"), entity: h.get("entity"), doc: h.get("doc"),
    from: dayNum(h.get("from")), to: dayNum(h.get("to")), undated: h.get("undated") !== "0",
    zoom: UNITS[h.get("zoom")] ? h.get("zoom") : "auto", order: h.get("order") === "time" ? "time" : "salience", open: h.get("open") });
}
function writeHash() {
  const h = new URLSearchParams();
  if (state.q) h.set("q", state.q);
  if (state.types.size) h.set("type", [...state.types].join(","));
  if (state.facts.size) h.set("fact", [...state.facts].join(","));
  if (state.entity) h.set("entity", state.entity);
  if (state.doc) h.set("doc", state.doc);
  if (state.from !== null) h.set("from", dayStr(state.from));
  if (state.to !== null) h.set("to", dayStr(state.to));
  if (!state.undated) h.set("undated", "0");
  if (state.zoom !== "auto") h.set("zoom", state.zoom);
  if (state.order !== "salience") h.set("order", state.order);
  if (state.open) h.set("open", state.open);
  history.replaceState(null, "", "#" + h.toString());
}

function matches(x) {
  const e = x.e;
  if (state.types.size && !state.types.has(e.type)) return false;
  if (state.facts.size && !state.facts.has(e.factuality)) return false;
  if (state.entity && !x.ids.has(state.entity)) return false;
  if (state.doc && !x.docs.has(state.doc)) return false;
  if (x.start === null) { if (!state.undated || state.from !== null || state.to !== null) return false; }
  else if ((state.from !== null && x.end < state.from) || (state.to !== null && x.start > state.to)) return false;
  return !state.q || x.text.includes(state.q.toLowerCase());
}

// ---- filters -------------------------------------------------------------------------
function counted(key) {
  const c = new Map();
  for (const x of events) c.set(x.e[key], (c.get(x.e[key]) || 0) + 1);
  return [...c].sort((a, b) => b[1] - a[1]);
}
function checkboxes(box, key, set) {
  box.innerHTML = counted(key).map(([v, n]) =>
    `<label><input type="checkbox" value="${esc(v)}"${set.has(v) ? " checked" : ""}> ${esc(v)} (${n})</label>`).join("");
  box.onchange = () => { set.clear(); for (const c of box.querySelectorAll("input:checked")) set.add(c.value); update(); };
}
function setupFilters() {
  checkboxes($("f-type"), "type", state.types);
  checkboxes($("f-fact"), "factuality", state.facts);
  $("f-entities").innerHTML = TL.entities.flatMap((e) => [e.name, ...e.aliases]).map((n) => `<option value="${esc(n)}">`).join("");
  $("f-doc").innerHTML = '<option value="">all documents</option>' +
    TL.documents.map((d) => `<option value="${esc(d.id)}">${esc(d.title || d.id)}</option>`).join("");
  $("f-q").oninput = (ev) => { state.q = ev.target.value; update(); };
  $("f-entity").onchange = (ev) => {
    const v = ev.target.value.trim().toLowerCase();
    const hit = TL.entities.find((e) => e.name.toLowerCase() === v || e.aliases.some((a) => a.toLowerCase() === v));
    state.entity = hit ? hit.id : null;
    update();
  };
  $("f-doc").onchange = (ev) => { state.doc = ev.target.value || null; update(); };
  $("f-from").onchange = (ev) => { state.from = dayNum(ev.target.value); update(); };
  $("f-to").onchange = (ev) => { state.to = dayNum(ev.target.value); update(); };
  $("f-undated").onchange = (ev) => { state.undated = ev.target.checked; update(); };
  // Clearing the filters keeps the order chosen.
  $("f-reset").onclick = () => { const order = state.order; readHashFrom(""); state.order = order; syncInputs(); update(); };
  for (const b of document.querySelectorAll("#axis .zoom button")) b.onclick = () => { state.zoom = b.dataset.zoom; update(); };
  for (const b of document.querySelectorAll("#order button")) b.onclick = () => { state.order = b.dataset.order; $("list").scrollTop = 0; update(); };
}
function readHashFrom(h) { history.replaceState(null, "", "#" + h); readHash(); }
function syncInputs() {
  $("f-q").value = state.q;
  $("f-entity").value = state.entity ? (entities.get(state.entity) || {}).name || "" : "";
  $("f-doc").value = state.doc || "";
  $("f-from").value = state.from === null ? "" : dayStr(state.from);
  $("f-to").value = state.to === null ? "" : dayStr(state.to);
  $("f-undated").checked = state.undated;
  for (const [box, set] of [["f-type", state.types], ["f-fact", state.facts]])
    for (const c of $(box).querySelectorAll("input")) c.checked = set.has(c.value);
}

// ---- axis: events per bin, spans, the undated lane -------------------------------------
const UNITS = {
  day: { key: (d) => d, start: (k) => k, next: (k) => k + 1, label: (k) => dayStr(k) },
  week: { key: (d) => d - ((((d + 3) % 7) + 7) % 7), start: (k) => k, next: (k) => k + 7, label: (k) => "week of " + dayStr(k) },
  month: { key: (d) => { const t = new Date(d * DAY); return t.getUTCFullYear() * 12 + t.getUTCMonth(); },
    start: (k) => dayNum(`${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}-01`), next: (k) => k + 1,
    label: (k) => `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}` },
  year: { key: (d) => new Date(d * DAY).getUTCFullYear(), start: (k) => dayNum(`${k}-01-01`), next: (k) => k + 1, label: (k) => String(k) },
};
const ORDER = ["day", "week", "month", "year"];
function drawAxis(shown) {
  const dated = shown.filter((x) => x.start !== null);
  const undated = shown.length - dated.length;
  for (const b of document.querySelectorAll("#axis .zoom button")) b.setAttribute("aria-pressed", String(b.dataset.zoom === state.zoom));
  if (!dated.length) {
    $("bins").innerHTML = ""; $("axislabels").innerHTML = ""; $("spans").innerHTML = "";
    $("undatedlane").textContent = `Undated: ${undated} event${undated === 1 ? "" : "s"}. No dated event matches.`;
    return;
  }
  let lo = Infinity, hi = -Infinity;
  for (const x of dated) { lo = Math.min(lo, x.start); hi = Math.max(hi, x.start); }
  let unit = state.zoom;
  if (unit === "auto") unit = hi - lo <= 62 ? "day" : hi - lo <= 550 ? "week" : hi - lo <= 5500 ? "month" : "year";
  // Never more than 600 bins: a finer unit than that is coarsened.
  while (unit !== "year" && (UNITS[unit].key(hi) - UNITS[unit].key(lo)) / (unit === "week" ? 7 : 1) > 600) unit = ORDER[ORDER.indexOf(unit) + 1];
  const U = UNITS[unit];
  const counts = new Map();
  for (const x of dated) { const k = U.key(x.start); counts.set(k, (counts.get(k) || 0) + 1); }
  const keys = [];
  for (let k = U.key(lo); k <= U.key(hi); k = U.next(k)) keys.push(k);
  const max = Math.max(...counts.values());
  $("bins").innerHTML = keys.map((k) => {
    const n = counts.get(k) || 0;
    const label = `${U.label(k)}: ${n} event${n === 1 ? "" : "s"}`;
    return `<button data-k="${k}" style="height:${n ? 8 + Math.round((92 * n) / max) : 2}%" aria-label="${esc(label)}" title="${esc(label)}"></button>`;
  }).join("");
  for (const b of $("bins").querySelectorAll("button")) b.onclick = () => {
    const k = Number(b.dataset.k);
    state.from = U.start(k); state.to = U.start(U.next(k)) - 1;
    state.zoom = ORDER[Math.max(0, ORDER.indexOf(unit) - 1)];
    syncInputs(); update();
  };
  $("axislabels").innerHTML = `<span>${esc(U.label(keys[0]))}</span><span>${esc(unit)}s</span><span>${esc(U.label(keys[keys.length - 1]))}</span>`;
  // Spans (weeks, months, years): bars across their days, packed into at most six lanes,
  // the longest first; what does not fit is counted, not drawn.
  const spans = dated.filter((x) => x.end > x.start).sort((a, b) => (b.end - b.start) - (a.end - a.start));
  const first = U.start(keys[0]), last = U.start(U.next(keys[keys.length - 1])) - 1, width = Math.max(1, last - first + 1);
  const lanes = [];
  let dropped = 0;
  for (const x of spans) {
    const left = (100 * (Math.max(x.start, first) - first)) / width;
    const right = Math.max(left + 0.5, (100 * (Math.min(x.end, last) - first + 1)) / width);
    const lane = lanes.find((l) => l.every(([a, b]) => right <= a || left >= b));
    if (lane) lane.push([left, right, x]);
    else if (lanes.length < 6) lanes.push([[left, right, x]]);
    else dropped++;
  }
  const bar = ([left, right, x]) => {
    const what = `${x.e.time.start} to ${x.e.time.end}: ${x.e.summary}`;
    return `<button class="span" style="left:${left}%;width:${right - left}%" data-ev="${esc(x.e.id)}" aria-label="${esc(what)}" title="${esc(what)}"></button>`;
  };
  $("spans").innerHTML = (spans.length ? `<div class="lanelabel">Spans (weeks, months, years): ${spans.length}${dropped ? `, ${dropped} not drawn (narrow the dates to see them)` : ""}</div>` : "") +
    lanes.map((l) => `<div class="lane">${l.map(bar).join("")}</div>`).join("");
  for (const b of $("spans").querySelectorAll("button")) b.onclick = () => openItem(b.dataset.ev);
  $("undatedlane").textContent = `Undated: ${undated} event${undated === 1 ? "" : "s"}` +
    (!state.undated ? " (hidden by the filter)" : state.order === "time" ? " (listed last)" : " (listed by salience)");
}

// ---- list: only the rows in view are in the page --------------------------------------
const ROW = 54;
let shown = [];
function when(e) {
  if (!e.time.start) return "undated";
  const days = e.time.start === e.time.end ? e.time.start : `${e.time.start} to ${e.time.end}`;
  const how = { BEFORE: "before ", AFTER: "after ", ON_OR_BEFORE: "by " }[e.time.mod] || "";
  return how + days;
}
function rowHtml(x, i) {
  const e = x.e;
  return `<div class="row" role="listitem" tabindex="0" data-ev="${esc(e.id)}" data-i="${i}" style="top:${i * ROW}px">
    <div class="meta">${esc(when(e))} <span class="badge">${esc(e.type)}</span><span class="badge f-${esc(e.factuality)}">${esc(e.factuality)}</span>${e.sources.length} source${e.sources.length === 1 ? "" : "s"}</div>
    <div class="text">${esc(e.summary)}</div></div>`;
}
function drawList() {
  const list = $("list");
  const from = Math.max(0, Math.floor(list.scrollTop / ROW) - 10);
  const to = Math.min(shown.length, Math.ceil((list.scrollTop + list.clientHeight) / ROW) + 10);
  let html = `<div style="height:${shown.length * ROW}px"></div>`;
  for (let i = from; i < to; i++) html += rowHtml(shown[i], i);
  list.innerHTML = html;
}
function focusRow(i) {
  if (i < 0 || i >= shown.length) return;
  const list = $("list");
  if (i * ROW < list.scrollTop) list.scrollTop = i * ROW;
  else if ((i + 1) * ROW > list.scrollTop + list.clientHeight) list.scrollTop = (i + 1) * ROW - list.clientHeight;
  drawList();
  const row = list.querySelector(`[data-i="${i}"]`);
  if (row) row.focus();
}
function setupList() {
  const list = $("list");
  list.onscroll = () => requestAnimationFrame(drawList);
  list.onclick = (ev) => { const r = ev.target.closest(".row"); if (r) openItem(r.dataset.ev); };
  list.onkeydown = (ev) => {
    const r = ev.target.closest(".row");
    if (!r) return;
    const i = Number(r.dataset.i);
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); openItem(r.dataset.ev); }
    else if (ev.key === "ArrowDown") { ev.preventDefault(); focusRow(i + 1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); focusRow(i - 1); }
  };
  addEventListener("beforeprint", () => {
    $("printlist").innerHTML = shown.map((x) => `<div class="prow"><strong>${esc(when(x.e))}</strong> [${esc(x.e.type)}, ${esc(x.e.factuality)}] ${esc(x.e.summary)}
      <div class="muted">${x.e.sources.map((s) => esc((docs.get(s.doc) || {}).title || s.doc)).join("; ")}</div></div>`).join("");
  });
  addEventListener("afterprint", () => { $("printlist").innerHTML = ""; });
}

// ---- details of an event or an entity -------------------------------------------------
const ANCHORS = { explicit: "a date in its own sentence", narrative: "a date in the sentence before, which the story carries on",
  event: "the date of another event it goes with, follows or precedes",
  tense: "past: on or before its article's publication day", publication: "its article's publication day" };
function highlight(source) {
  const chars = Array.from(source.sentence);
  const marks = [];
  const t = source.trigger;
  if (t) marks.push([t.start - source.start, t.end - source.start, "trigger", null]);
  for (const [a, b, id] of mentions.get(source.doc) || []) {
    if (a >= source.start && b <= source.end) marks.push([a - source.start, b - source.start, "name", id]);
  }
  marks.sort((x, y) => x[0] - y[0]);
  let out = "", at = 0;
  for (const [a, b, kind, id] of marks) {
    if (a < at || b > chars.length) continue;
    out += esc(chars.slice(at, a).join(""));
    const inner = esc(chars.slice(a, b).join(""));
    out += kind === "trigger" ? `<mark class="trigger" title="event trigger">${inner}</mark>`
      : `<mark class="name"><a href="#" data-entity="${esc(id)}" title="${esc((entities.get(id) || {}).name)}">${inner}</a></mark>`;
    at = b;
  }
  return out + esc(chars.slice(at).join(""));
}
const entityLink = (id) => `<a href="#" data-entity="${esc(id)}">${esc((entities.get(id) || { name: id }).name)}</a>`;
function eventHtml(e) {
  const time = e.time;
  const date = time.start ? `${esc(when(e))}${time.value && time.value !== time.start ? ` (${esc(time.value)})` : ""}` : "undated";
  const how = time.anchor ? `${esc(ANCHORS[time.anchor] || time.anchor)}${time.text ? `: “${esc(time.text)}”` : ""}` : "no date found";
  const doc = (id) => docs.get(id) || { id, title: id };
  return `<h2 id="detail-title">${esc(e.summary)}</h2>
  <dl><dt>Type</dt><dd>${esc(e.type)} <span class="muted">(TimeML ${esc(e.class || "")})</span></dd>
  <dt>Date</dt><dd>${date}<br><span class="muted">${how}</span></dd>
  <dt>Factuality</dt><dd>${esc(e.factuality)}</dd>
  <dt>Confidence</dt><dd>${Math.round(e.confidence * 100)}%</dd>
  ${e.salience !== undefined ? `<dt>Salience</dt><dd>${esc(e.salience)} <span class="muted">(of 1: sources, central entities, own date, type)</span></dd>` : ""}
  <dt>Participants</dt><dd>${e.participants.map((p) => `${entityLink(p.entity)} <span class="muted">(${esc(p.role)})</span>`).join(", ") || "none named"}</dd>
  <dt>Places</dt><dd>${e.places.map(entityLink).join(", ") || "none named"}</dd>
  ${(e.reported_by || []).length ? `<dt>Reported by</dt><dd>${e.reported_by.map(entityLink).join(", ")}</dd>` : ""}</dl>
  ${e.quotes.length ? `<h3>Quotes</h3>${e.quotes.map((q) => `<blockquote>“${esc(q)}”</blockquote>`).join("")}` : ""}
  <h3>Sources (${e.sources.length})</h3>
  ${e.sources.map((s) => {
    const d = doc(s.doc);
    const title = safeUrl(d.url) ? `<a href="${esc(d.url)}">${esc(d.title || d.id)}</a>` : esc(d.title || d.id);
    return `<blockquote class="source">${highlight(s)}<div class="muted">${title}${d.published ? `, ${esc(d.published.slice(0, 10))}${d.published_from === "inferred" ? " (date inferred)" : ""}` : ""} · ${esc(d.source || "")}</div></blockquote>`;
  }).join("")}`;
}
function entityHtml(ent) {
  const own = events.filter((x) => x.ids.has(ent.id));
  const ext = ent.external_id ? (/^Q\d+$/.test(ent.external_id) ? `<a href="https://www.wikidata.org/wiki/${esc(ent.external_id)}">${esc(ent.external_id)}</a>` : esc(ent.external_id)) : "none";
  return `<h2 id="detail-title">${esc(ent.name)}</h2>
  <dl><dt>Type</dt><dd>${esc(ent.type)}</dd><dt>Aliases</dt><dd>${esc(ent.aliases.join(", ") || "none")}</dd>
  <dt>Roles</dt><dd>${esc(ent.roles.join(", ") || "none")}</dd><dt>External id</dt><dd>${ext}</dd>
  <dt>Mentions</dt><dd>${ent.mentions.length}</dd></dl>
  <p><button data-filter-entity="${esc(ent.id)}">Show only its events</button></p>
  <h3>Its events (${own.length})</h3><ol>${own.slice(0, 500).map((x) => `<li><a href="#" data-ev="${esc(x.e.id)}">${esc(when(x.e))}: ${esc(x.e.summary)}</a> <span class="muted">(${esc(x.e.participants.filter((p) => p.entity === ent.id).map((p) => p.role).join(", ") || "place")})</span></li>`).join("")}</ol>
  ${own.length > 500 ? `<p class="muted">${own.length - 500} more: filter by this entity to list them all.</p>` : ""}`;
}
function openItem(id) { state.open = id; update(); const d = $("detail"); if (!d.hidden) d.focus(); }
function drawDetail() {
  const aside = $("detail");
  const ev = state.open && byId.get(state.open);
  const ent = state.open && entities.get(state.open);
  if (!ev && !ent) { aside.hidden = true; $("main").classList.add("closed"); return; }
  aside.hidden = false; $("main").classList.remove("closed");
  $("detail-body").innerHTML = ev ? eventHtml(ev.e) : entityHtml(ent);
}
function setupDetail() {
  $("detail").onclick = (ev) => {
    const a = ev.target.closest("[data-entity],[data-ev],[data-filter-entity]");
    if (!a) return;
    ev.preventDefault();
    if (a.dataset.filterEntity) { state.entity = a.dataset.filterEntity; syncInputs(); update(); }
    else openItem(a.dataset.entity || a.dataset.ev);
  };
  $("close").onclick = () => { state.open = null; update(); };
  addEventListener("keydown", (ev) => { if (ev.key === "Escape" && state.open) { state.open = null; update(); } });
}

// ---- digest: the key dates first ------------------------------------------------------
function drawDigest() {
  const dates = (D.digest && D.digest.dates) || [];
  if (!dates.length) { $("digest").hidden = true; return; }
  const text = (s) => (typeof s === "string" ? s : s.text || s.sentence || "");
  const evId = (x) => (typeof x === "string" ? x : x.id);
  $("digest-list").innerHTML = dates.map((d) => `<details><summary>${esc(d.date)}: ${esc(text((d.summary || [])[0] || ""))}</summary>
    ${(d.summary || []).map((s) => `<blockquote>${esc(text(s))}</blockquote>`).join("")}
    <p>Events: ${(d.events || []).map((x) => byId.has(evId(x)) ? `<a href="#" data-ev="${esc(evId(x))}">${esc(byId.get(evId(x)).e.summary)}</a>` : esc(evId(x))).join("; ") || "none"}</p>
    <p class="muted">${(d.sources || []).length} source${(d.sources || []).length === 1 ? "" : "s"}${d.score !== undefined ? `, score ${esc(d.score)}` : ""}</p></details>`).join("");
  $("digest-list").onclick = (ev) => { const a = ev.target.closest("[data-ev]"); if (a) { ev.preventDefault(); openItem(a.dataset.ev); } };
}

function update() {
  shown = (state.order === "time" ? events : ranked).filter(matches);
  for (const b of document.querySelectorAll("#order button")) b.setAttribute("aria-pressed", String(b.dataset.order === state.order));
  $("count").textContent = `${shown.length} of ${events.length} events shown`;
  drawAxis(shown);
  drawList();
  drawDetail();
  writeHash();
}

readHash();
setupFilters();
syncInputs();
setupList();
setupDetail();
drawDigest();
$("summary").textContent = `${TL.documents.length} document${TL.documents.length === 1 ? "" : "s"}, ${TL.entities.length} entities, ${events.length} events`;
update();
addEventListener("hashchange", () => { readHash(); syncInputs(); update(); });
document.body.dataset.renderMs = String(Math.round(performance.now() - T0));
document.body.dataset.ready = "1";
