"""API tests of `extrasim serve` without a browser: security (path traversal, foreign Host and
Origin, oversized bodies, a bounded flood on loopback), jobs (progress, cancel, 429 when
full) and that every answer equals the CLI's with the same settings.

usage: python3 api_test.py EXTRASIM PROJECT_ROOT"""
import concurrent.futures
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from serve_support import Server

EXTRASIM = ROOT = None


def cli(*args):
    r = subprocess.run([EXTRASIM, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    return r.returncode, r.stdout, r.stderr


def wait_done(server, job, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, s = server.json("GET", "/api/jobs/" + job)
        assert status == 200, s
        if s["state"] != "running":
            return s
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def run_job(server, variants):
    status, body = server.json("POST", "/api/jobs", {"variants": variants})
    assert status == 202, body
    s = wait_done(server, body["id"])
    assert s["state"] == "done", s
    status, result = server.json("GET", "/api/jobs/%s/result" % body["id"])
    assert status == 200, result
    return body["id"], result


class Api(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.user = tempfile.mkdtemp(prefix="extrasim-serve-user-")
        # A link out of the user's folder: must not be readable through it.
        os.symlink("/etc/passwd", os.path.join(cls.user, "passwd.yaml"))
        with open(os.path.join(ROOT, "scenarios", "motala.yaml")) as f:
            motala = f.read()
        with open(os.path.join(cls.user, "mine.yaml"), "w") as f:
            f.write(motala.replace("name: motala", "name: mine"))
        cls.server = Server(EXTRASIM, "--scenarios", cls.user, "--max-jobs", "2")

    @classmethod
    def tearDownClass(cls):
        # Exit 0 on SIGTERM, and nothing left in its temporary folder (stop() checks).
        status = cls.server.stop()
        shutil.rmtree(cls.user, ignore_errors=True)
        if status != 0:
            raise AssertionError("extrasim serve exited %d" % status)

    def assertNoInternals(self, data):
        text = data if isinstance(data, str) else json.dumps(data)
        self.assertNotIn(ROOT, text)
        self.assertNotIn(self.user, text)
        self.assertNotIn("extrasim-serve-", text)
        self.assertNotIn("Traceback", text)

    # --- lists and the page

    def test_page_and_lists(self):
        status, headers, body = self.server.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertIn(b"<html", body)
        self.assertIn("default-src 'self'", headers["Content-Security-Policy"])
        status, scenarios = self.server.json("GET", "/api/scenarios")
        ids = [s["id"] for s in scenarios]
        self.assertIn("scenarios/motala.yaml", ids)
        self.assertIn("user/mine.yaml", ids)
        self.assertNotIn("user/passwd.yaml", ids)
        self.assertNotIn("scenarios/national-sweep.yaml", ids)  # a sweep file, not a scenario
        status, m = self.server.json("GET", "/api/municipalities")
        self.assertEqual(len(m["municipalities"]), 290)
        motala = [x for x in m["municipalities"] if x["name"] == "Motala"][0]
        self.assertGreater(motala["population"], 40000)

    # --- security

    def test_path_traversal_is_refused(self):
        names = ["../README.md", "/etc/passwd", "scenarios/../../CMakeLists.txt", "scenarios/../data/../../README.md",
                 "user/passwd.yaml", "user/../../../etc/passwd", "tools/serve/server.cpp", "scenarios/\u0000x.yaml",
                 "scenarios\\..\\README.md", "data/", "scenarios"]
        for name in names:
            status, body = self.server.json("POST", "/api/validate", {"scenario": name})
            self.assertEqual(status, 400, name)
            self.assertIn("not a file the server may read", body["error"]["message"])
            self.assertNoInternals(body)
        # ... and through a posted scenario's file reference (bonus.units)
        with open(os.path.join(ROOT, "scenarios", "lund.yaml")) as f:
            lund = f.read()
        for units in ["/etc/passwd", "../../etc/passwd", "../../README.md", "../tools/serve/server.cpp", "../../../../../../etc/passwd"]:
            status, body = self.server.json("POST", "/api/validate", {"yaml": lund.replace("../data/units-2017.csv", units)})
            self.assertEqual(status, 400, units)
            self.assertEqual(body["error"]["path"], "bonus.units")
            self.assertNoInternals(body)
        # The shipped reference, relative to the posted scenario as to scenarios/, is fine.
        status, body = self.server.json("POST", "/api/validate", {"yaml": lund})
        self.assertEqual(status, 200, body)
        # A file in an allowed folder that is not a units table: refused by the parser, no path shown.
        status, body = self.server.json("POST", "/api/validate", {"yaml": lund.replace("../data/units-2017.csv", "motala.yaml")})
        self.assertEqual(status, 400)
        self.assertNoInternals(body)
        status, body = self.server.json("POST", "/api/bonus", {"units": "../README.md"})
        self.assertEqual(status, 400)
        self.assertNoInternals(body)
        # The URL itself
        for path in ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/scenarios/motala.yaml", "/data/kommuner_population.csv"]:
            status, _, body = self.server.request("GET", path)
            self.assertEqual(status, 404, path)

    def test_foreign_host_and_origin_are_refused(self):
        port = self.server.port
        for headers in [{"Host": "evil.example"}, {"Host": "evil.example:%d" % port}, {"Host": "127.0.0.1:1"},
                        {"Origin": "http://evil.example"}, {"Origin": "http://127.0.0.1:%d.evil.example" % port},
                        {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}]:
            status, _, body = self.server.request("POST", "/api/validate", {"scenario": "scenarios/motala.yaml"}, headers)
            self.assertEqual(status, 403, headers)
            status, _, body = self.server.request("GET", "/api/scenarios", None, headers)
            self.assertEqual(status, 403, headers)
        ok = {"Origin": "http://127.0.0.1:%d" % port}
        status, _, _ = self.server.request("POST", "/api/validate", {"scenario": "scenarios/motala.yaml"}, ok)
        self.assertEqual(status, 200)
        status, _, _ = self.server.request("GET", "/api/scenarios", None, {"Host": "localhost:%d" % port})
        self.assertEqual(status, 200)
        # A simple cross-site form post (text/plain) is not JSON: refused before any work.
        status, _, _ = self.server.request("POST", "/api/jobs", None, {"Content-Type": "text/plain"}, raw=b'{"variants": []}')
        self.assertEqual(status, 415)

    def test_oversized_and_malformed_bodies(self):
        big = b'{"yaml": "' + b"x" * (2 << 20) + b'"}'
        status, _, body = self.server.request("POST", "/api/validate", None, {"Content-Type": "application/json"}, raw=big)
        self.assertEqual(status, 413)
        for raw in [b"{", b"[]", b'{"scenario": 5}', b'{"variants": "x"}', b"\xff\xfe"]:
            for path in ["/api/validate", "/api/jobs"]:
                status, _, body = self.server.request("POST", path, None, {"Content-Type": "application/json"}, raw=raw)
                self.assertEqual(status, 400, (path, raw))
                self.assertNoInternals(body.decode("utf-8", "replace"))

    def test_a_flood_of_requests_is_answered(self):
        # Bounded: 400 requests from 16 threads, loopback only; each must be answered.
        def one(i):
            status, _, _ = self.server.request("GET", "/api/scenarios" if i % 2 else "/api/labels")
            return status
        start = time.time()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(one, range(400)))
        self.assertEqual(statuses.count(200), 400)
        self.assertLess(time.time() - start, 120)
        status, _, _ = self.server.request("GET", "/")
        self.assertEqual(status, 200)

    # --- jobs

    def test_progress_cancel_and_429(self):
        slow = {"scenario": "scenarios/national-2017.yaml", "set": [{"path": "replications", "value": "2000"}]}
        status, a = self.server.json("POST", "/api/jobs", {"variants": [slow]})
        self.assertEqual(status, 202, a)
        status, b = self.server.json("POST", "/api/jobs", {"variants": [slow]})
        self.assertEqual(status, 202, b)
        status, c = self.server.json("POST", "/api/jobs", {"variants": [slow]})
        self.assertEqual(status, 429, c)  # --max-jobs 2
        # progress grows, then a cancel stops the job
        deadline, done = time.time() + 120, 0
        while time.time() < deadline and done == 0:
            status, s = self.server.json("GET", "/api/jobs/" + a["id"])
            done = s["done"]
            time.sleep(0.1)
        self.assertGreater(done, 0)
        self.assertLess(done, s["total"])
        self.assertEqual(s["total"], 2000)
        for job in (a, b):
            status, s = self.server.json("DELETE", "/api/jobs/" + job["id"])
            self.assertEqual(status, 202)
            self.assertEqual(wait_done(self.server, job["id"], 60)["state"], "cancelled")
        status, body = self.server.json("GET", "/api/jobs/%s/result" % a["id"])
        self.assertEqual(status, 409)
        status, body = self.server.json("GET", "/api/jobs/0123456789abcdef")
        self.assertEqual(status, 404)

    def test_run_equals_the_cli(self):
        sets = [("replications", "200"), ("programme.intake.places", "[{from: 2017-01, value: 80}, {from: 2018-01, value: 140}]"),
                ("groups.long_term_fs.wage", "19500")]
        job, result = run_job(self.server, [{"scenario": "scenarios/norrkoping-120.yaml", "set": [{"path": p, "value": v} for p, v in sets]}])
        args = ["run", "scenarios/norrkoping-120.yaml", "--format", "json"]
        for p, v in sets:
            args += ["--set", "%s=%s" % (p, v)]
        rc, out, err = cli(*args)
        self.assertEqual(rc, 0, err)
        expected = json.loads(out)
        run = result["runs"][0]
        for key in ["effect", "metrics", "yearly_summary", "deadweight_share", "monthly", "replications", "seed"]:
            self.assertEqual(run[key], expected[key], key)
        self.assertEqual(len(run["people"]), 24)
        self.assertNoInternals(result)
        # The scenario YAML download runs to the same numbers in the CLI.
        status, headers, yaml = self.server.request("GET", "/api/jobs/%s/download/yaml" % job)
        self.assertEqual(status, 200)
        self.assertIn("attachment", headers["Content-Disposition"])
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "variant.yaml")
            with open(path, "wb") as f:
                f.write(yaml)
            rc, out, err = cli("run", path, "--format", "json")
            self.assertEqual(rc, 0, err)
            self.assertEqual(json.loads(out)["effect"], run["effect"])
        # Downloads: the workbook reads back with openpyxl, the report is HTML, the CSV is the CLI's.
        status, _, xlsx = self.server.request("GET", "/api/jobs/%s/download/xlsx" % job)
        self.assertEqual(status, 200)
        import openpyxl
        wb = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
        self.assertIn("Summary", wb.sheetnames)
        status, _, html = self.server.request("GET", "/api/jobs/%s/download/report.html" % job)
        self.assertEqual(status, 200)
        self.assertIn(b"<svg", html)
        self.assertNoInternals(html.decode())
        status, _, csv = self.server.request("GET", "/api/jobs/%s/download/csv" % job)
        rc, out, err = cli(*[a if a != "json" else "csv" for a in args])
        self.assertEqual(csv.decode(), out)

    def test_compare_two_variants(self):
        base = {"municipality": "0583"}
        more = {"municipality": "0583", "set": [{"path": "programme.intake.places", "value": "60"}, {"path": "name", "value": "Motala 60"}]}
        for v in (base, more):
            v.setdefault("set", []).append({"path": "replications", "value": "100"})
        job, result = run_job(self.server, [base, more])
        self.assertEqual(len(result["runs"]), 2)
        self.assertIn("comparison", result)
        self.assertEqual(result["runs"][0]["scenario"], "Motala")
        # The tax rates of a municipality are the national averages of each year (the tax module).
        status, params = self.server.json("POST", "/api/parameters", base)
        rates = {p["path"]: p["value"] for p in params["parameters"]}
        self.assertIn("0.2075", rates["tax.municipal_rate"])
        self.assertIn("0.2074", rates["tax.municipal_rate"])
        # The same comparison from the CLI, on the downloaded YAML of each variant.
        with tempfile.TemporaryDirectory() as d:
            files = []
            for k in range(2):
                status, _, yaml = self.server.request("GET", "/api/jobs/%s/download/yaml?variant=%d" % (job, k))
                files.append(os.path.join(d, "v%d.yaml" % k))
                with open(files[-1], "wb") as f:
                    f.write(yaml)
            rc, out, err = cli("compare", *files, "--format", "json")
            self.assertEqual(rc, 0, err)
            expected = json.loads(out)
        self.assertEqual(json.dumps(result["comparison"], sort_keys=True), json.dumps(expected, sort_keys=True))
        status, _, xlsx = self.server.request("GET", "/api/jobs/%s/download/xlsx" % job)
        import openpyxl
        wb = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
        self.assertIn("Summary", wb.sheetnames)

    def test_lang_sets_the_pages_first_language(self):
        swedish = Server(EXTRASIM, "--lang", "sv")
        try:
            status, settings = swedish.json("GET", "/api/settings")
            self.assertEqual(settings["lang"], "sv")
        finally:
            self.assertEqual(swedish.stop(), 0)
        status, settings = self.server.json("GET", "/api/settings")
        self.assertEqual(settings["lang"], "en")

    # --- the other workflows, against the CLI

    def test_validation_messages_are_the_clis(self):
        for path, value in [("groups.long_term_fs.wage", "-5"), ("transitions.fs.job", "1.5"), ("programme.intake.starts", "[1, x]"),
                            ("no.such.path", "1")]:
            status, body = self.server.json("POST", "/api/validate", {"scenario": "scenarios/motala.yaml", "set": [{"path": path, "value": value}]})
            self.assertEqual(status, 400)
            rc, out, err = cli("validate", "scenarios/motala.yaml", "--set", "%s=%s" % (path, value))
            self.assertEqual(rc, 2)
            self.assertEqual("error: " + body["error"]["message"] + "\n", err)
        status, body = self.server.json("POST", "/api/validate", {"scenario": "scenarios/motala.yaml"})
        rc, out, err = cli("validate", "scenarios/motala.yaml")
        self.assertEqual(body["message"] + "\n", out)
        status, body = self.server.json("POST", "/api/validate", {"scenario": "scenarios/motala.yaml", "set": [{"path": "groups.long_term_fs.wage", "value": "-5"}]})
        self.assertEqual(body["error"]["path"], "groups.long_term_fs.wage")

    def test_expected_tax_and_bonus_equal_the_cli(self):
        # expected: a rate-based scenario, posted as text, and a capacity one refused as the CLI does
        vector = "tests/data/vectors/v3-payers-tax-behaviour.yaml"
        with open(os.path.join(ROOT, vector)) as f:
            status, body = self.server.json("POST", "/api/expected", {"yaml": f.read()})
        rc, out, err = cli("expected", vector, "--format", "json")
        self.assertEqual((status, rc), (200, 0), body)
        expected = json.loads(out)
        for key in ["effect", "metrics", "yearly", "monthly"]:
            self.assertEqual(body[key], expected[key], key)
        status, body = self.server.json("POST", "/api/expected", {"scenario": "scenarios/motala.yaml"})
        rc, out, err = cli("expected", "scenarios/motala.yaml")
        self.assertEqual((status, rc), (400, 2))
        self.assertEqual("error: " + body["error"]["message"] + "\n", err)
        status, body = self.server.json("POST", "/api/tax", {"year": 2018, "income": 18700, "benefit": "0"})
        rc, out, err = cli("tax", "2018", "18700", "--format", "json")
        self.assertEqual(body, json.loads(out))
        status, body = self.server.json("POST", "/api/tax", {"year": 1999, "income": 18700})
        rc, out, err = cli("tax", "1999", "18700")
        self.assertEqual(status, 400)
        self.assertEqual("error: " + body["error"]["message"] + "\n", err)
        status, body = self.server.json("POST", "/api/bonus", {"counts": ["Motala=14"], "spread_total": 11000})
        rc, out, err = cli("bonus", "data/units-2017.csv", "--count", "Motala=14", "--spread-total", "11000", "--format", "json")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["allocation"], json.loads(out))


if __name__ == "__main__":
    EXTRASIM, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])
