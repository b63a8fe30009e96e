// The workbench page: a thin client of extrasim serve's JSON API (tools/serve/workbench.hpp).
// Everything it shows comes from the server; it only builds requests and draws.
"use strict";

const T = {
  title: ["extrasim: the planner's workbench", "extrasim: planerarens arbetsbänk"],
  start: ["1. Start from", "1. Utgå från"],
  municipality: ["a municipality", "en kommun"],
  shipped: ["a shipped scenario", "ett medföljande scenario"],
  load: ["Load", "Hämta"],
  change: ["2. What you change", "2. Det du ändrar"],
  change_note: ["Values as a scenario file writes them. A place plan is a list of steps: from a month, that many places.",
    "Värden som i en scenariofil. En platsplan är en lista av steg: från en månad, så många platser."],
  run: ["Run", "Kör"],
  cancel: ["Cancel", "Avbryt"],
  result: ["3. Result", "3. Resultat"],
  effect: ["Effect of the programme per budget year (scenario minus the same people without it), kronor: mean [95 % interval]",
    "Programmets effekt per budgetår (scenario minus samma personer utan det), kronor: medel [95 % intervall]"],
  people: ["People over time (mean and 95 % interval)", "Personer över tid (medel och 95 % intervall)"],
  keep: ["Keep as a variant", "Spara som variant"],
  variants: ["4. Variants", "4. Varianter"],
  compare: ["Compare the ticked variants", "Jämför de markerade varianterna"],
  comparison: ["Comparison: effect per budget year, and each variant's paired difference to the first",
    "Jämförelse: effekt per budgetår, och varje variants parade skillnad mot den första"],
  footer: ["Runs on this computer only (extrasim serve on 127.0.0.1). Money in kronor, nominal; sign = money in for that payer.",
    "Körs bara på den här datorn (extrasim serve på 127.0.0.1). Belopp i kronor, löpande priser; tecken = pengar in för den betalaren."],
  g_programme: ["Programme", "Programmet"],
  g_group: ["Group", "Grupp"],
  g_costs: ["Costs", "Kostnader"],
  g_rates: ["Rates", "Satser"],
  f_name: ["Variant name", "Variantens namn"],
  f_places: ["Places over time", "Platser över tid"],
  f_replications: ["Replications", "Replikeringar"],
  f_wage: ["Wage, kr/month full time", "Lön, kr/månad heltid"],
  f_working_time: ["Working time (share of full time)", "Arbetstid (andel av heltid)"],
  f_fs_benefit: ["Försörjningsstöd (municipality pays), kr/month", "Försörjningsstöd (kommunen betalar), kr/mån"],
  f_state_fs: ["State benefit on fs (state pays), kr/month", "Statlig ersättning vid fs (staten betalar), kr/mån"],
  f_state_other: ["State benefit in other (state pays), kr/month", "Statlig ersättning i övrigt (staten betalar), kr/mån"],
  f_job_wage: ["Wage in regular work, kr/month", "Lön i reguljärt arbete, kr/mån"],
  f_size: ["Persons in the pool", "Personer i poolen"],
  f_supervision_cost: ["Supervision, kr/month per participant", "Handledning, kr/mån per deltagare"],
  f_admin_start: ["Administration per start, kr", "Administration per start, kr"],
  f_admin_month: ["Administration per month, kr", "Administration per månad, kr"],
  f_municipal_rate: ["Municipal tax rate", "Kommunalskatt"],
  f_regional_rate: ["Regional tax rate", "Regionskatt"],
  f_subsidy_share: ["Subsidy share of wage cost", "Bidragets andel av lönekostnaden"],
  f_discount_rate: ["Discount rate", "Diskonteringsränta"],
  add_step: ["+ step", "+ steg"],
  remove: ["remove", "ta bort"],
  valid: ["Valid", "Giltigt"],
  running: ["running", "kör"],
  done: ["done", "klar"],
  cancelled: ["cancelled", "avbruten"],
  failed: ["failed", "misslyckades"],
  year: ["Budget year", "Budgetår"],
  total: ["total", "totalt"],
  partial: ["partial", "del av år"],
  deadweight: ["Deadweight share (months in an extratjänst whose twin without the programme was in work anyway): ",
    "Dödviktsandel (månader i extratjänst där tvillingen utan programmet ändå hade arbete): "],
  d_yaml: ["Scenario (YAML)", "Scenario (YAML)"],
  d_xlsx: ["Workbook (xlsx)", "Arbetsbok (xlsx)"],
  d_report: ["Report (HTML)", "Rapport (HTML)"],
  d_csv: ["CSV", "CSV"],
  v_name: ["Variant", "Variant"],
  v_diff: ["difference to the first", "skillnad mot den första"],
  pop: ["inhabitants", "invånare"],
  fs: ["on social assistance (fs)", "försörjningsstöd"],
  xj: ["in extratjänst", "i extratjänst"],
  job: ["in regular work", "i reguljärt arbete"],
  need_two: ["Tick at least two variants.", "Markera minst två varianter."],
};

const EFFECT_LINES = ["municipality.net", "region.net", "state.net", "public.net", "individual.disposable_income"];
const CHART_LINES = ["municipality.net", "state.net", "public.net"];
// One meaning per colour, as in the HTML report: the states fs red, xj blue, job green; the
// payers a palette that shares none of them.
const COLOURS = { "municipality.net": "#6a3d9a", "region.net": "#7f5539", "state.net": "#e08a00", "public.net": "#5f6b6d",
  "individual.disposable_income": "#d0468a", fs: "#c0392b", xj: "#1f5fa8", job: "#2e8b57" };

const state = { lang: "en", labels: {}, params: null, base: null, calendarStart: null, job: null, result: null,
  variants: [], comparison: null, validateTimer: null, poll: null, polling: false };

const $ = (id) => document.getElementById(id);
const t = (key) => (T[key] ? T[key][state.lang === "sv" ? 1 : 0] : key);
const label = (metric) => (state.labels[metric] ? state.labels[metric][state.lang] : metric);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function svg(tag, attrs, ...children) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function money(v) {
  return new Intl.NumberFormat(state.lang === "sv" ? "sv-SE" : "en-GB", { maximumFractionDigits: 0 }).format(Math.round(v));
}

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  const data = await r.json();
  return { status: r.status, data };
}

// --- language

function applyLanguage(lang) {
  state.lang = lang;
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
  for (const b of document.querySelectorAll(".lang button")) b.classList.toggle("active", b.dataset.lang === lang);
  if (state.params) buildForm(currentValues());
  if (state.result) showResult(state.result);
  renderVariants();
  if (state.comparison) showComparison(state.comparison);
}

// --- start

async function loadLists() {
  const [settings, labels, municipalities, scenarios] = await Promise.all([
    api("GET", "/api/settings"), api("GET", "/api/labels"), api("GET", "/api/municipalities"), api("GET", "/api/scenarios")]);
  state.labels = labels.data.metrics;
  const m = $("municipality");
  for (const x of municipalities.data.municipalities) {
    m.append(el("option", { value: x.code, text: x.name + " (" + money(x.population) + ")" }));
  }
  m.value = "0583";
  const s = $("scenario");
  for (const x of scenarios.data) s.append(el("option", { value: x.id, text: x.name + ": " + x.description }));
  m.addEventListener("change", () => { $("base-municipality").checked = true; });
  s.addEventListener("change", () => { $("base-scenario").checked = true; });
  applyLanguage(settings.data.lang);
}

function baseSpec() {
  return $("base-scenario").checked ? { scenario: $("scenario").value } : { municipality: $("municipality").value };
}

async function loadBase() {
  const base = baseSpec();
  const r = await api("POST", "/api/parameters", base);
  if (r.status !== 200) {
    $("base-note").textContent = r.data.error.message;
    return;
  }
  state.base = base;
  state.params = r.data;
  state.calendarStart = r.data.calendar.start;
  $("base-note").textContent = r.data.description + " (" + r.data.calendar.start + ", " + r.data.calendar.months + ")";
  buildForm(null);
  $("edit").hidden = false;
  validateSoon();
}

// --- the form

function fieldList() {
  const f = [{ legend: "g_programme", items: [["name", "f_name"], ["programme.intake.places", "f_places", "steps"],
    ["replications", "f_replications"]] }];
  for (const g of state.params.groups) {
    const p = "groups." + g + ".";
    f.push({ legend: "g_group", suffix: g, items: [[p + "size", "f_size"], [p + "wage", "f_wage"], [p + "working_time", "f_working_time"],
      [p + "fs_benefit", "f_fs_benefit"], [p + "state_benefit.fs", "f_state_fs"], [p + "state_benefit.other", "f_state_other"],
      [p + "job_wage", "f_job_wage"]] });
  }
  f.push({ legend: "g_costs", items: [["programme.supervision_cost", "f_supervision_cost"], ["programme.admin_cost.per_start", "f_admin_start"],
    ["programme.admin_cost.per_month", "f_admin_month"]] });
  f.push({ legend: "g_rates", items: [["tax.municipal_rate", "f_municipal_rate"], ["tax.regional_rate", "f_regional_rate"],
    ["programme.subsidy.share", "f_subsidy_share"], ["accounting.discount_rate", "f_discount_rate"]] });
  return f;
}

function original(path) {
  const p = state.params.parameters.find((x) => x.path === path);
  return p ? p.value : null;
}

// "10" or "[{from: 2017-01, value: 10}, ...]" <-> [[month, places], ...]
function parseSteps(text) {
  const steps = [...text.matchAll(/\{from: (\d{4}-\d{2}), value: ([^}]+)\}/g)].map((m) => [m[1], m[2].trim()]);
  return steps.length ? steps : [[state.calendarStart, text.trim()]];
}
function stepsText(steps) {
  if (steps.length === 1 && steps[0][0] === state.calendarStart) return steps[0][1];
  return "[" + steps.map(([m, v]) => "{from: " + m + ", value: " + v + "}").join(", ") + "]";
}

function stepsEditor(path, value) {
  const box = el("div", { class: "steps", "data-path": path, id: "steps" });
  const addRow = (m, v) => {
    const row = el("div", { class: "step" },
      el("input", { type: "month", value: m, "aria-label": "from", class: "step-month", oninput: changed }),
      el("input", { type: "text", value: v, "aria-label": "places", class: "step-places", inputmode: "numeric", oninput: changed }),
      el("button", { type: "button", text: "×", title: t("remove"), onclick: () => { row.remove(); changed(); } }));
    box.insertBefore(row, box.lastChild);
  };
  box.append(el("button", { type: "button", class: "add-step", text: t("add_step"), onclick: () => { addRow(state.calendarStart, "0"); changed(); } }));
  for (const [m, v] of parseSteps(value)) addRow(m, v);
  return box;
}

function readSteps(box) {
  return stepsText([...box.querySelectorAll(".step")].map((r) => [r.querySelector(".step-month").value, r.querySelector(".step-places").value.trim()]));
}

function buildForm(values) {
  const form = $("form");
  form.replaceChildren();
  for (const group of fieldList()) {
    const items = group.items.filter(([path]) => original(path) !== null);
    if (!items.length) continue;
    const fs = el("fieldset", {}, el("legend", { text: t(group.legend) + (group.suffix ? ": " + group.suffix : "") }));
    for (const [path, key, kind] of items) {
      const value = values && values[path] !== undefined ? values[path] : original(path);
      const id = "f-" + path.replace(/[^a-z0-9]/gi, "-");
      const input = kind === "steps" ? stepsEditor(path, value)
        : el("input", { id, type: "text", value, "data-path": path, "aria-label": t(key), oninput: changed });
      // A timeline ("[{from: ..., value: ...}]") gets the whole width, under its label.
      const wide = kind !== "steps" && String(value).startsWith("[");
      fs.append(el("div", { class: wide ? "field wide" : "field", "data-field": path },
        el("label", { for: kind === "steps" ? null : id, text: t(key) }), input,
        el("div", { class: "field-message", "data-message-for": path, role: "alert" })));
    }
    form.append(fs);
  }
  markChanged();
}

function currentValues() {
  const v = {};
  for (const e of document.querySelectorAll("#form [data-path]")) v[e.dataset.path] = e.classList.contains("steps") ? readSteps(e) : e.value.trim();
  return v;
}

function spec() {
  const set = [];
  for (const [path, value] of Object.entries(currentValues())) if (value !== original(path)) set.push({ path, value });
  return Object.assign({}, state.base, { set });
}

function markChanged() {
  const v = currentValues();
  for (const e of document.querySelectorAll("#form input[data-path]")) e.classList.toggle("changed", v[e.dataset.path] !== original(e.dataset.path));
}

function changed() {
  markChanged();
  validateSoon();
}

function validateSoon() {
  clearTimeout(state.validateTimer);
  state.validateTimer = setTimeout(validate, 250);
}

// The field an error belongs to: the override's path (the message's origin "--set PATH=..."),
// else the error's path, else its longest field prefix.
function fieldFor(error) {
  const paths = [...document.querySelectorAll("#form [data-path]")].map((e) => e.dataset.path);
  const origin = /^--set ([^=]+)=/.exec(error.file || "");
  for (const p of [origin && origin[1], error.path]) {
    if (!p) continue;
    const hit = paths.filter((x) => p === x || p.startsWith(x + ".")).sort((a, b) => b.length - a.length)[0];
    if (hit) return hit;
  }
  return null;
}

function showErrors(error) {
  for (const f of document.querySelectorAll(".field")) f.classList.remove("invalid");
  for (const m of document.querySelectorAll(".field-message")) m.textContent = "";
  $("validity").textContent = "";
  if (!error) return;
  const path = fieldFor(error);
  if (path) {
    document.querySelector('[data-field="' + path + '"]').classList.add("invalid");
    document.querySelector('[data-message-for="' + path + '"]').textContent = error.message;
  } else {
    $("validity").textContent = error.message;
  }
}

async function validate() {
  const r = await api("POST", "/api/validate", spec());
  if (r.status === 200) {
    showErrors(null);
    $("validity").textContent = t("valid") + ": " + r.data.message + "; " + r.data.run_size;
    $("run").disabled = false;
    return true;
  }
  showErrors(r.data.error);
  $("run").disabled = true;
  return false;
}

// --- jobs

async function startJob(variants, onDone) {
  const r = await api("POST", "/api/jobs", { variants });
  if (r.status !== 202) {
    $("progress-text").textContent = t("failed");
    showErrors(r.data.error);
    if (!fieldFor(r.data.error)) $("validity").textContent = r.data.error.message;
    return;
  }
  const id = r.data.id;
  state.job = id;
  $("run").disabled = true;
  $("compare").disabled = true;
  $("cancel").disabled = false;
  clearInterval(state.poll);
  state.poll = setInterval(async () => {
    if (state.polling) return;  // one request at a time
    state.polling = true;
    const s = (await api("GET", "/api/jobs/" + id)).data;
    $("progress").max = s.total;
    $("progress").value = s.done;
    const line = s.done + " / " + s.total + " " + t(s.state) + (s.error ? ": " + s.error : "");
    if (s.state === "running") {
      $("progress-text").textContent = line;
      state.polling = false;
      return;
    }
    clearInterval(state.poll);
    // The result is drawn before the line says done, so what reads "done" sees it.
    if (s.state === "done") onDone(id, (await api("GET", "/api/jobs/" + id + "/result")).data);
    $("progress-text").textContent = line;
    $("run").disabled = false;
    $("compare").disabled = false;
    $("cancel").disabled = true;
    state.polling = false;
  }, 150);
}

// What the progress line said of the last job is cleared the moment another is asked for.
function jobAsked() {
  $("progress").value = 0;
  $("progress-text").textContent = t("running");
}

async function run() {
  jobAsked();
  if (!(await validate())) {
    $("progress-text").textContent = t("failed");
    return;
  }
  const variant = spec();
  startJob([variant], (id, result) => {
    state.result = { id, spec: variant, data: result };
    showResult(state.result);
  });
}

function downloads(box, id, variant, prefix) {
  box.replaceChildren();
  // In the page's language (applyLanguage builds the links again when it changes).
  const q = (variant === null ? "?" : "?variant=" + variant + "&") + "lang=" + state.lang;
  for (const [kind, key] of [["yaml", "d_yaml"], ["xlsx", "d_xlsx"], ["report.html", "d_report"], ["csv", "d_csv"]]) {
    if (kind === "yaml" && variant === null) continue;
    box.append(el("a", { href: "/api/jobs/" + id + "/download/" + kind + q, download: "", id: prefix + kind.replace(".html", ""), text: t(key) }));
  }
}

function cell(s) {
  return el("td", { "data-mean": s.mean }, money(s.mean), el("br"), el("span", { class: "interval", text: "[" + money(s.p025) + ", " + money(s.p975) + "]" }));
}

function periodName(p) {
  if (p.period === "total") return t("total");
  return p.partial ? p.period + " (" + t("partial") + ")" : p.period;
}

function showResult(res) {
  const run = res.data.runs[0];
  $("result").hidden = false;
  $("result-title").textContent = run.scenario + ": " + run.replications + " replications, seed " + run.seed;
  const table = $("effect-table");
  table.replaceChildren(el("tr", {}, el("th", { text: t("year") }), ...EFFECT_LINES.map((l) => el("th", { text: label(l) }))));
  for (const p of run.effect) {
    table.append(el("tr", { "data-period": p.period }, el("td", { text: periodName(p) }),
      ...EFFECT_LINES.map((l) => { const c = cell(p[l]); c.dataset.line = l; return c; })));
  }
  $("deadweight").textContent = t("deadweight") + (run.deadweight_share === null ? "n/a" : Math.round(run.deadweight_share * 1000) / 10 + " %");
  drawEffect($("effect-chart"), run.effect.filter((p) => p.period !== "total"));
  drawPeople($("people-chart"), run.people);
  downloads($("downloads"), res.id, 0, "download-");
}

// --- charts (hand-written SVG: bars with their 95 % intervals; lines with bands)

function scale(lo, hi, a, b) {
  const span = hi - lo || 1;
  return (v) => a + ((v - lo) / span) * (b - a);
}

function niceTicks(lo, hi, n) {
  const step0 = (hi - lo) / n || 1;
  const mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= step0);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(v);
  return out;
}

function drawEffect(box, periods) {
  const W = 640, H = 260, L = 80, R = 10, TOP = 10, B = 50;
  let lo = 0, hi = 0;
  for (const p of periods) for (const l of CHART_LINES) { lo = Math.min(lo, p[l].p025, p[l].mean); hi = Math.max(hi, p[l].p975, p[l].mean); }
  const y = scale(lo, hi, H - B, TOP);
  const s = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": t("effect") });
  for (const v of niceTicks(lo, hi, 5)) {
    s.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: v === 0 ? "#444" : "#ddd" }));
    s.append(svg("text", { x: L - 4, y: y(v) + 4, "text-anchor": "end", text: money(v) }));
  }
  const slot = (W - L - R) / Math.max(periods.length, 1), bw = slot / (CHART_LINES.length + 1);
  periods.forEach((p, i) => {
    CHART_LINES.forEach((l, k) => {
      const x = L + i * slot + bw * (k + 0.5);
      const v = p[l];
      s.append(svg("rect", { x, width: bw * 0.9, y: Math.min(y(0), y(v.mean)), height: Math.abs(y(v.mean) - y(0)), fill: COLOURS[l] }));
      const cx = x + bw * 0.45;
      s.append(svg("line", { x1: cx, x2: cx, y1: y(v.p025), y2: y(v.p975), stroke: "#000" }));
      for (const e of [v.p025, v.p975]) s.append(svg("line", { x1: cx - 4, x2: cx + 4, y1: y(e), y2: y(e), stroke: "#000" }));
    });
    s.append(svg("text", { x: L + i * slot + slot / 2, y: H - B + 16, "text-anchor": "middle", text: periodName(p) }));
  });
  CHART_LINES.forEach((l, k) => {
    s.append(svg("rect", { x: L + k * 190, y: H - 22, width: 12, height: 12, fill: COLOURS[l] }));
    s.append(svg("text", { x: L + k * 190 + 16, y: H - 12, text: label(l) }));
  });
  box.replaceChildren(s);
}

function drawPeople(box, months) {
  const W = 640, H = 240, L = 50, R = 10, TOP = 10, B = 50;
  const keys = ["fs", "xj", "job"];
  let hi = 1;
  for (const m of months) for (const k of keys) hi = Math.max(hi, m[k].p975);
  const x = scale(0, Math.max(months.length - 1, 1), L, W - R), y = scale(0, hi, H - B, TOP);
  const s = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": t("people") });
  for (const v of niceTicks(0, hi, 4)) {
    s.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#ddd" }));
    s.append(svg("text", { x: L - 4, y: y(v) + 4, "text-anchor": "end", text: money(v) }));
  }
  months.forEach((m, i) => {
    if (i % 6 === 0) s.append(svg("text", { x: x(i), y: H - B + 16, "text-anchor": "middle", text: m.month }));
  });
  for (const k of keys) {
    const upper = months.map((m, i) => x(i) + "," + y(m[k].p975));
    const lower = months.map((m, i) => x(i) + "," + y(m[k].p025)).reverse();
    s.append(svg("polygon", { points: upper.concat(lower).join(" "), fill: COLOURS[k], "fill-opacity": 0.15 }));
    s.append(svg("polyline", { points: months.map((m, i) => x(i) + "," + y(m[k].mean)).join(" "), fill: "none", stroke: COLOURS[k], "stroke-width": 2 }));
  }
  keys.forEach((k, j) => {
    s.append(svg("rect", { x: L + j * 170, y: H - 22, width: 12, height: 12, fill: COLOURS[k] }));
    s.append(svg("text", { x: L + j * 170 + 16, y: H - 12, text: t(k) }));
  });
  box.replaceChildren(s);
}

// --- variants and comparison

function keep() {
  const res = state.result;
  if (!res) return;
  const names = new Set(state.variants.map((v) => v.name));
  let name = res.data.runs[0].scenario, k = 2;
  while (names.has(name)) name = res.data.runs[0].scenario + " " + k++;
  const total = res.data.runs[0].effect.find((p) => p.period === "total");
  state.variants.push({ name, spec: res.spec, total, ticked: true });
  renderVariants();
}

function renderVariants() {
  const table = $("variant-table");
  $("variants").hidden = state.variants.length === 0;
  table.replaceChildren(el("tr", {}, el("th", {}), el("th", { text: t("v_name") }),
    ...["municipality.net", "public.net"].map((l) => el("th", { text: label(l) + " (" + t("total") + ")" })), el("th", {})));
  state.variants.forEach((v, i) => {
    table.append(el("tr", { "data-variant": v.name },
      el("td", {}, el("input", { type: "checkbox", checked: v.ticked, "aria-label": v.name, onchange: (e) => { v.ticked = e.target.checked; } })),
      el("td", { text: v.name }), cell(v.total["municipality.net"]), cell(v.total["public.net"]),
      el("td", {}, el("button", { type: "button", text: t("remove"), onclick: () => { state.variants.splice(i, 1); renderVariants(); } }))));
  });
}

function compare() {
  jobAsked();
  const ticked = state.variants.filter((v) => v.ticked);
  if (ticked.length < 2) {
    $("progress-text").textContent = "";
    $("comparison-warnings").replaceChildren(el("li", { text: t("need_two") }));
    $("comparison").hidden = false;
    return;
  }
  // Each variant under its name in the list (names must differ in a comparison).
  const variants = ticked.map((v) => Object.assign({}, v.spec, { set: v.spec.set.filter((s) => s.path !== "name").concat([{ path: "name", value: v.name }]) }));
  startJob(variants, (id, result) => {
    state.comparison = { id, data: result };
    showComparison(state.comparison);
  });
}

function showComparison(c) {
  const cmp = c.data.comparison;
  $("comparison").hidden = false;
  const table = $("comparison-table");
  const lines = ["municipality.net", "public.net"];
  const head = [el("th", { text: t("year") }), el("th", { text: t("v_name") })];
  for (const l of lines) head.push(el("th", { text: label(l) }), el("th", { text: t("v_diff") }));
  table.replaceChildren(el("tr", {}, ...head));
  const first = cmp.scenarios[0];
  cmp.effects[first].forEach((p, i) => {
    cmp.scenarios.forEach((name, k) => {
      const e = cmp.effects[name][i];
      const row = el("tr", { "data-period": e.period, "data-variant": name }, el("td", { text: k === 0 ? periodName(e) : "" }), el("td", { text: name }));
      for (const l of lines) {
        row.append(cell(e[l]));
        // The paired difference to the first (same people, same random numbers) with its interval.
        const d = k === 0 ? null : cmp.periods[e.period].versus_first[name][l];
        if (d) {
          const c = cell(d);
          c.dataset.diff = d.mean;
          row.append(c);
        } else {
          row.append(el("td", {}));
        }
      }
      table.append(row);
    });
  });
  $("comparison-warnings").replaceChildren(...cmp.warnings.map((w) => el("li", { text: w })));
  downloads($("comparison-downloads"), c.id, null, "comparison-download-");
}

// --- wiring

document.addEventListener("DOMContentLoaded", () => {
  $("load").addEventListener("click", loadBase);
  $("run").addEventListener("click", run);
  $("cancel").addEventListener("click", () => state.job && api("DELETE", "/api/jobs/" + state.job));
  $("keep").addEventListener("click", keep);
  $("compare").addEventListener("click", compare);
  for (const b of document.querySelectorAll(".lang button")) b.addEventListener("click", () => applyLanguage(b.dataset.lang));
  loadLists();
});
