"""Starting and talking to `extrasim serve` in tests (API and browser): one server per test
class, on a free loopback port that the server prints, with its own TMPDIR so that what it
leaves behind can be checked."""
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile


class Server:
    def __init__(self, extrasim, *args):
        self.tmp = tempfile.mkdtemp(prefix="extrasim-serve-test-")
        env = dict(os.environ, TMPDIR=self.tmp)
        # stderr goes to the test's own (a pipe nobody reads could fill and block the server)
        self.proc = subprocess.Popen([extrasim, "serve", "--port", "0", *args], stdout=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            self.proc.kill()
            raise RuntimeError("no address from extrasim serve: " + line)
        self.port = int(match.group(1))
        self.url = "http://127.0.0.1:%d/" % self.port

    def request(self, method, path, body=None, headers=None, raw=None):
        """(status, headers, body bytes); body is sent as JSON unless raw bytes are given."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = {"Host": "127.0.0.1:%d" % self.port}
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        out = (r.status, dict(r.getheaders()), r.read())
        conn.close()
        return out

    def json(self, method, path, body=None, headers=None):
        status, _, data = self.request(method, path, body, headers)
        return status, json.loads(data)

    def stop(self):
        """SIGTERM, as Ctrl-C would; returns the exit status. Raises if the server left
        anything in its temporary folder (its work folder must be gone)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(timeout=30)
        finally:
            self.proc.stdout.close()
        leftover = os.listdir(self.tmp)
        shutil.rmtree(self.tmp, ignore_errors=True)
        if leftover:
            raise AssertionError("extrasim serve left behind: %s" % leftover)
        return status
