"""The README's Python example runs as written."""
import re

from .paths import ROOT


def test_readme_python_blocks_run(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert blocks
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out.split()
    assert len(out) == 3 and all(float(x) == float(x) for x in out)  # rates and the rank correlation
