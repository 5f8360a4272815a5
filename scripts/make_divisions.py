"""Write reference/divisions.tsv: China's divisions (GB/T 2260 codes) from the jionlp package's data.

Run from the checkout after upgrading jionlp (``pip install --no-deps jionlp``: only its data
files are read, so its model dependencies are not needed):
    python scripts/make_divisions.py
The table holds every province-, prefecture- and county-level division of
``jionlp/dictionary/china_location.zip`` (towns and villages are left out), and the divisions
abolished or renamed since 2002 from ``jionlp/dictionary/china_location_change.txt``, as
historical rows: no code where the change list gives none, the successor's code, the date.
The output depends only on the package's files, so running it again reproduces the file.
"""
from __future__ import annotations

import importlib.metadata
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "reference" / "divisions.tsv"
PACKAGE = "jionlp"
LEVELS = ("province", "city", "district")
COLUMNS = ("code", "name", "short", "level", "parent", "status", "successor", "changed")


def _file(dist: importlib.metadata.Distribution, name: str) -> Path:
    path = Path(str(dist.locate_file(f"jionlp/dictionary/{name}")))
    if not path.is_file():
        sys.exit(f"{path}: not found; is {PACKAGE} installed?")
    return path


def rows() -> tuple[str, list[tuple[str, ...]]]:
    dist = importlib.metadata.distribution(PACKAGE)
    location = _file(dist, "china_location.zip")
    with zipfile.ZipFile(location) as z:
        info = z.infolist()[0]
        text = z.read(info).decode("utf-8")
        data_date = "{:04d}-{:02d}-{:02d}".format(*info.date_time[:3])
    header = (f"# China's administrative divisions (GB/T 2260 codes), province, prefecture and county level.\n"
              f"# Extracted by scripts/make_divisions.py from the PyPI package {PACKAGE} {dist.version}"
              f" (dictionary/china_location.zip of {data_date}, dictionary/china_location_change.txt).\n"
              "# status: current | historical (abolished or renamed; successor = the code of the division that took"
              " its place, changed = the date of the change)\n")
    out: list[tuple[str, ...]] = []
    current: dict[tuple[str, ...], str] = {}  # name path -> code
    stack: list[str] = []
    codes: list[str] = []
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 2:
            continue
        fields = line.strip("\t").split("\t")
        del stack[depth:], codes[depth:]
        if len(fields) < 3:  # no code (Taiwan's districts)
            stack.append(fields[0])
            codes.append("")
            continue
        name, code, short = fields[:3]
        stack.append(name)
        codes.append(code)
        parent_code = next((c for c in reversed(codes[:-1]) if c), "")
        if code == parent_code or name == "省直辖行政区划":
            continue  # a municipality's city level repeats it; 省直辖 is a grouping, not a division
        level = LEVELS[depth]
        # a municipality's districts and the counties 省直辖 lie directly within the province
        path = tuple(s for i, s in enumerate(stack) if s != "省直辖行政区划" and not (i == 1 and codes[1] == codes[0]))
        parent = parent_code
        current[path] = code
        out.append((code, name, short if short != name else "", level, parent, "current", "", ""))
    shorts = {r[0]: r[2] for r in out}
    historical: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in _file(dist, "china_location_change.txt").read_text("utf-8").splitlines():
        if "=>" not in line:
            continue
        left, right = line.split("=>")
        lf = left.split("\t")
        day, old = lf[0], lf[2:]
        old_names, old_shorts = old[0::2], old[1::2]
        new_names = right.split("\t")
        for depth in range(1, len(old_names)):
            old_path = tuple(old_names[:depth + 1])
            new_path = tuple(new_names[:depth + 1])
            moved_only = len(new_path) == depth + 1 and new_path[-1] in (old_path[-1], old_shorts[depth])
            if old_path in current or old_path in historical or moved_only and depth == len(old_names) - 1:
                continue  # a county moved to another prefecture under its own name is not historical
            successor = current.get(new_path, "")
            if not successor and len(new_path) == depth + 1:  # the change list may give a short name (同仁)
                successor = next((c for p, c in current.items() if p[:-1] == new_path[:-1]
                                  and new_path[-1] in (p[-1], shorts.get(c))), "")
            parent = current.get(old_path[:-1], "") or current.get(old_path[:1], "")
            historical[old_path] = ("", old_path[-1], old_shorts[depth] if old_shorts[depth] != old_path[-1] else "",
                                    LEVELS[depth], parent, "historical", successor, day)
    out.extend(historical[p] for p in sorted(historical, key=lambda p: (historical[p][7], p)))
    return header, out


def main() -> None:
    header, table = rows()
    lines = [header + "\t".join(COLUMNS)] + ["\t".join(r) for r in table]
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(table)} divisions")


if __name__ == "__main__":
    main()
