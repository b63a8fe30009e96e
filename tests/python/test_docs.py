"""docs/python.md's examples, run as written: every ```python, ```sh and ```r block in order
(the Python ones in one namespace), in a fresh folder that holds scenarios/ and data/, with the
CLI on the PATH. Never skipped: a missing Rscript or matplotlib fails the test."""
import os
import re
import shutil
import subprocess
from pathlib import Path

from conftest import CLI, SOURCE

BLOCK = re.compile(r"^```(python|sh|r)\n(.*?)^```$", re.S | re.M)


def blocks():
    return BLOCK.findall((SOURCE / "docs/python.md").read_text())


def test_the_page_has_examples_of_each_kind():
    kinds = [k for k, _ in blocks()]
    assert kinds.count("python") >= 5 and kinds.count("r") >= 2 and kinds.count("sh") >= 1


def test_docs_python_md_examples_run(tmp_path, monkeypatch, capsys):
    assert shutil.which("Rscript"), "Rscript is missing (r-base-core, tools/install-deps.sh)"
    for d in ("scenarios", "data"):
        (tmp_path / d).symlink_to(SOURCE / d)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(Path(CLI).parent) + os.pathsep + os.environ["PATH"])
    namespace = {"__name__": "__docs__"}
    for n, (kind, code) in enumerate(blocks()):
        if kind == "python":
            exec(compile(code, f"docs/python.md block {n}", "exec"), namespace)
        else:
            command = ["bash", "-euo", "pipefail", "-c", code] if kind == "sh" else ["Rscript", "-e", code]
            done = subprocess.run(command, capture_output=True, text=True)
            print(done.stdout)
            assert done.returncode == 0, f"block {n} ({kind}) failed:\n{code}\n{done.stderr}"
    out = capsys.readouterr().out
    assert "municipality.net: mean" in out  # the R example printed
    assert (tmp_path / "places.png").stat().st_size > 1000
    assert (tmp_path / "places-r.png").stat().st_size > 1000
