"""Print pip requirement lines pinning every declared dependency at one end of its range.

Usage: python .ci/pins.py min|max [extra ...]. "min" turns each ">=X" into "==X" (the oldest
version pyproject.toml promises to support); "max" leaves the range as declared, so pip takes the
newest versions. Read from pyproject.toml itself, so the pins can never drift from it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def declared(extras: list[str]) -> list[str]:
    """The requirement strings of [project] dependencies and the named optional extras."""
    text = PYPROJECT.read_text(encoding="utf-8")
    try:
        import tomllib

        project = tomllib.loads(text)["project"]
        lists = [project["dependencies"]] + [project["optional-dependencies"][e] for e in extras]
    except ModuleNotFoundError:  # Python 3.10: read the lists with a regular expression
        lists = []
        for name in ["dependencies", *extras]:
            block = re.search(rf"^{re.escape(name)} = \[(.*?)^\]", text, flags=re.S | re.M)
            if block is None:
                raise SystemExit(f"pins.py: no list {name!r} in {PYPROJECT}") from None
            lists.append(re.findall(r'^\s*"([^"]+)"', block.group(1), flags=re.M))
    seen: dict[str, str] = {}
    for requirement in (r for group in lists for r in group):
        seen.setdefault(re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].lower(), requirement)
    return list(seen.values())


def at_minimum(requirement: str) -> str:
    name = re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0]
    low = re.search(r">=\s*([0-9][0-9A-Za-z.]*)", requirement)
    if low is None:
        raise SystemExit(f"pins.py: {requirement!r} declares no minimum (>=)")
    version = low.group(1)
    if version.count(".") == 0:
        version += ".0"
    return f"{name}=={version}"


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("min", "max"):
        raise SystemExit("usage: python .ci/pins.py min|max [extra ...]")
    end, extras = sys.argv[1], sys.argv[2:]
    for requirement in declared(extras):
        print(at_minimum(requirement) if end == "min" else requirement)


if __name__ == "__main__":
    main()
