"""Assemble docs/benchmarks.md from the sections each benchmark writes to docs/bench/<name>.md.

    .venv/bin/python bench/report.py

Every section carries its own command, machine, date and commit (what produced it); this script
only puts them in order under one table of contents.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["ingest", "web", "language", "search", "tags", "rubric_outlets", "threads", "titles", "rethread", "related",
         "watch", "tgnews"]
TITLES = {
    "ingest": "Ingestion (issue 2)", "web": "Site and API (issue 3)", "language": "Language, entities (issue 4)",
    "search": "Search (issue 4)", "tags": "Rubrics and tags (issue 5)",
    "rubric_outlets": "Rubrics of an outlet's own archive (issue 5)", "threads": "Duplicates and threads (issue 6)",
    "titles": "Headlines as copies (issue 6)",
    "rethread": "Rethreading with stored vectors (issue 6)", "related": "«Ещё новости» (issue 6)",
    "watch": "Live sources (issue 7)", "tgnews": "Telegram contest protocol (issue 8)",
}
INTRO = """# Benchmarks

Measured on this project's 2-core machine. Each section below is written by its benchmark script
(`bench/<name>.py`) and names the command, machine, date and commit it measured; `bench/report.py`
assembles them here. During this session several developers shared the two cores, so wall times
were measured under load (sections record the load average where their scripts read it); CPU times
are the more comparable figures.
"""


def main() -> None:
    sections = sorted((ROOT / "docs" / "bench").glob("*.md"),
                      key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else len(ORDER), p.stem))
    toc = [f"- [{TITLES.get(p.stem, p.stem)}](#{p.stem})" for p in sections]
    body = [f'<a id="{p.stem}"></a>\n\n' + p.read_text(encoding="utf-8").strip() + "\n" for p in sections]
    out = ROOT / "docs" / "benchmarks.md"
    out.write_text(INTRO + "\n" + "\n".join(toc) + "\n\n" + "\n\n".join(body), encoding="utf-8")
    print(f"wrote {out} ({len(sections)} sections)")


if __name__ == "__main__":
    main()
