// The workbench page in a real browser: Debian's Chromium driven by playwright-core (npm; no
// browser download). A planner's path from nothing to a downloaded workbook comparing two
// variants, each number checked against `extrasim run` with the same settings.
//
// env: EXTRASIM (the binary), EXTRASIM_ROOT (the source tree), EXTRASIM_SCREENSHOTS (optional:
// a folder for the page's screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const EXTRASIM = process.env.EXTRASIM;
const ROOT = process.env.EXTRASIM_ROOT;
const SHOTS = process.env.EXTRASIM_SCREENSHOTS;
// As the machine's notes say for a closed network: no background connections, no sandbox as root.
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

let server, serverTmp, url, browser, page, work;

function cli(...args) {
  return execFileSync(EXTRASIM, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
}

function cliError(...args) {
  try {
    execFileSync(EXTRASIM, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    return e.stderr;
  }
  throw new Error("expected a failure: " + args.join(" "));
}

// The effect table as the page shows it: {period: {line: mean}} from the cells' data-mean.
async function effectTable() {
  return page.$$eval("#effect-table tr[data-period]", (rows) => Object.fromEntries(rows.map((r) => [r.dataset.period,
    Object.fromEntries([...r.querySelectorAll("td[data-line]")].map((c) => [c.dataset.line, Number(c.dataset.mean)]))])));
}

function effectOf(json) {
  const lines = ["municipality.net", "region.net", "state.net", "public.net", "individual.disposable_income"];
  return Object.fromEntries(json.effect.map((p) => [p.period, Object.fromEntries(lines.map((l) => [l, p[l].mean]))]));
}

// The workbook's named effect cells, read back with openpyxl (Debian's python3-openpyxl).
function workbookNames(file) {
  const script = "import json, sys, openpyxl\n" +
    "wb = openpyxl.load_workbook(sys.argv[1])\n" +
    "out = {}\n" +
    // openpyxl 3.0 (Debian 12) keeps a list of names, 3.1 a mapping
    "names = wb.defined_names.definedName if hasattr(wb.defined_names, 'definedName') else wb.defined_names.values()\n" +
    "for d in names:\n" +
    "    for sheet, ref in d.destinations:\n" +
    "        out[d.name] = wb[sheet][ref.replace('$', '')].value\n" +
    "print(json.dumps({'sheets': wb.sheetnames, 'names': out}))\n";
  return JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, file], { encoding: "utf8" }));
}

async function waitForRun() {
  await page.waitForFunction(() => /\b(done|cancelled|failed)\b/.test(document.getElementById("progress-text").textContent), null, { timeout: 300000 });
  assert.match(await page.textContent("#progress-text"), /done/);
}

async function setField(path, value) {
  const input = page.locator('input[data-path="' + path + '"]');
  await input.fill(value);
}

async function shot(name) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "extrasim-browser-"));
  serverTmp = mkdtempSync(join(tmpdir(), "extrasim-serve-tmp-"));
  server = spawn(EXTRASIM, ["serve", "--port", "0"], { env: { ...process.env, TMPDIR: serverTmp }, stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: server.stdout });
  url = await new Promise((resolve, reject) => {
    lines.once("line", (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
      m ? resolve(m[1]) : reject(new Error("no address: " + line));
    });
    server.once("exit", (code) => reject(new Error("extrasim serve exited " + code)));
  });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on("pageerror", (e) => { throw e; });
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    assert.equal(await exited, 0);
    assert.deepEqual(readdirSync(serverTmp), [], "the server's work folder is removed at exit");
  }
  rmSync(work, { recursive: true, force: true });
  rmSync(serverTmp, { recursive: true, force: true });
});

test("a shipped scenario with other places: the per-year effect equals extrasim run", async () => {
  await page.goto(url);
  await page.waitForSelector("#scenario option[value='scenarios/norrkoping-120.yaml']", { state: "attached" });
  await page.selectOption("#scenario", "scenarios/norrkoping-120.yaml");
  await page.click("#load");
  await page.waitForSelector(".step-places");
  await page.locator(".step-places").first().fill("90");
  await setField("replications", "200");
  await page.waitForFunction(() => /valid|Giltigt/i.test(document.getElementById("validity").textContent));
  await page.click("#run");
  await waitForRun();
  await page.waitForSelector("#effect-table tr[data-period='total']");
  const shown = await effectTable();
  const expected = effectOf(JSON.parse(cli("run", "scenarios/norrkoping-120.yaml", "--set", "programme.intake.places=90",
    "--set", "replications=200", "--format", "json")));
  assert.deepEqual(shown, expected);
  assert.match(await page.textContent("#deadweight"), /\d/);
  assert.equal(await page.locator("#people-chart svg polyline").count(), 3);
});

test("a bad value shows the CLI's message next to its field", async () => {
  await setField("groups.long_term_fs.wage", "-5");
  const message = page.locator('[data-message-for="groups.long_term_fs.wage"]');
  await page.waitForFunction(() => document.querySelector('[data-message-for="groups.long_term_fs.wage"]').textContent !== "");
  const cliMessage = cliError("validate", "scenarios/norrkoping-120.yaml", "--set", "programme.intake.places=90", "--set", "replications=200",
    "--set", "groups.long_term_fs.wage=-5");
  assert.equal("error: " + (await message.textContent()) + "\n", cliMessage);
  assert.ok(await page.locator('[data-field="groups.long_term_fs.wage"].invalid').count());
  assert.ok(await page.isDisabled("#run"));
  await shot("serve-validation.png");
  await setField("groups.long_term_fs.wage", "18700");
  await page.waitForFunction(() => document.querySelector('[data-message-for="groups.long_term_fs.wage"]').textContent === "");
});

test("a municipality, two variants compared, the workbook downloaded and read back", async () => {
  await page.selectOption("#municipality", "0583");  // Motala
  await page.click("#base-municipality");
  await page.click("#load");
  await page.waitForFunction(() => document.querySelector('input[data-path="name"]') && document.querySelector('input[data-path="name"]').value === "Motala");
  await setField("replications", "200");
  await page.locator(".step-places").first().fill("20");
  await page.click("#run");
  await waitForRun();
  const first = await effectTable();
  // The same settings in the CLI: the scenario YAML the page offers, run by `extrasim run`.
  const yamlDownload = page.waitForEvent("download");
  await page.click("#download-yaml");
  const yamlFile = join(work, "motala-20.yaml");
  await (await yamlDownload).saveAs(yamlFile);
  assert.deepEqual(first, effectOf(JSON.parse(cli("run", yamlFile, "--format", "json"))));
  // The workbook: its named effect cells hold the numbers on the page.
  const xlsxDownload = page.waitForEvent("download");
  await page.click("#download-xlsx");
  const xlsxFile = join(work, "motala.xlsx");
  await (await xlsxDownload).saveAs(xlsxFile);
  const book = workbookNames(xlsxFile);
  assert.ok(book.sheets.includes("Summary"));
  const total = book.names["effect_motala_municipality_net_total"];
  assert.ok(Math.abs(total - first.total["municipality.net"]) <= 1e-6 * Math.max(1, Math.abs(total)),
    total + " vs " + first.total["municipality.net"] + " in " + JSON.stringify(Object.keys(book.names)));
  await page.click("#keep");
  // A second variant: more places.
  await page.locator(".step-places").first().fill("40");
  await setField("name", "Motala 40");
  await page.click("#run");
  await waitForRun();
  await page.waitForFunction(() => document.getElementById("result-title").textContent.startsWith("Motala 40"));
  await page.click("#keep");
  assert.equal(await page.locator("#variant-table tr[data-variant]").count(), 2);
  await page.click("#compare");
  await page.waitForSelector("#comparison-table tr[data-variant='Motala 40'][data-period='total']", { timeout: 300000 });
  const diff = Number(await page.getAttribute("#comparison-table tr[data-variant='Motala 40'][data-period='total'] td[data-diff]", "data-diff"));
  const compared = JSON.parse(cli("compare", yamlFile, ...(() => {
    const f = join(work, "motala-40.yaml");
    writeFileSync(f, execFileSync("/usr/bin/python3", ["-c", "import sys; t = open(sys.argv[1]).read(); print(t.replace('places: 20', 'places: 40').replace('name: Motala', 'name: Motala 40'), end='')", yamlFile], { encoding: "utf8" }));
    return [f];
  })(), "--format", "json"));
  assert.ok(Math.abs(diff - compared.periods.total.versus_first["Motala 40"]["municipality.net"].mean) < 1e-6 * Math.max(1, Math.abs(diff)));
  await shot("serve-workbench.png");
  const cmpDownload = page.waitForEvent("download");
  await page.click("#comparison-download-xlsx");
  const cmpFile = join(work, "comparison.xlsx");
  await (await cmpDownload).saveAs(cmpFile);
  const cmpBook = workbookNames(cmpFile);
  assert.ok("effect_motala_municipality_net_total" in cmpBook.names);
  assert.ok("effect_motala_40_municipality_net_total" in cmpBook.names);
});

test("the language switch: Swedish labels from the catalogue", async () => {
  await page.click("#lang-sv");
  assert.equal(await page.textContent("#run"), "Kör");
  const labels = await page.evaluate(async () => (await fetch("/api/labels")).json());
  const header = await page.$$eval("#effect-table th", (ths) => ths.map((th) => th.textContent));
  assert.ok(header.includes(labels.metrics["municipality.net"].sv));
  await shot("serve-workbench-sv.png");
  // Downloads follow the page's language: a Swedish workbook, the same cell names.
  const download = page.waitForEvent("download");
  await page.click("#download-xlsx");
  const file = join(work, "motala-sv.xlsx");
  await (await download).saveAs(file);
  const book = workbookNames(file);
  assert.ok(book.sheets.includes("Sammanfattning"), JSON.stringify(book.sheets));
  assert.ok("effect_motala_40_municipality_net_total" in book.names || "effect_motala_municipality_net_total" in book.names);
  await page.click("#lang-en");
});
