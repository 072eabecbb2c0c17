"""Turn a folder of policies into a manifest for lint_crawl_dask.py: JSON Lines, or Parquet (pyarrow).

Each record is ``{"name", "text", "format"}`` with the text inline, as a crawl kept in object
storage would be. ``--copies N`` writes every document N times under different names, to try a
large run on a small folder; ``--vary`` makes each copy's text unique (one extra line), so that
deduplication does not skip the copies.

    python make_manifest.py ../../examples crawl.jsonl
    python make_manifest.py /data/policies crawl.parquet --copies 60 --vary --rows-per-group 100
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".txt": "text"}


def records(folder: Path, copies: int, vary: bool) -> list[dict[str, str]]:
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in FORMATS and p.is_file())
    out = []
    for copy in range(copies):
        for path in files:
            text = path.read_text(encoding="utf-8", errors="replace")
            if vary and copy:
                text += f"\n\nCopy {copy}.\n"
            name = path.relative_to(folder).as_posix()
            out.append(
                {
                    "name": name if copy == 0 else f"copy-{copy}/{name}",
                    "text": text,
                    "format": FORMATS[path.suffix.lower()],
                }
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path, help="a .jsonl or .parquet file")
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--vary", action="store_true", help="make every copy's text unique")
    parser.add_argument(
        "--rows-per-group", type=int, default=100, help="Parquet: documents per row group (a batch)"
    )
    args = parser.parse_args()
    rows = records(args.folder, args.copies, args.vary)
    if args.out.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), args.out, row_group_size=args.rows_per_group)
    else:
        with args.out.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} documents written to {args.out}")


if __name__ == "__main__":
    main()
