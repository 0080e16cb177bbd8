"""``mfgpolicy diff``: what changed in the curated data between two versions (the work is in ``mfgpolicy.versions.diff``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mfgpolicy.cli.common import common_options
from mfgpolicy.schema import CURATED

if TYPE_CHECKING:
    import polars as pl

TABLE_NAMES = tuple(CURATED)

_DESCRIPTION = """\
List the rows of every curated table (targets, baselines, indicators, places, sources, ...)
added, removed and changed between two versions of the data, field by field: the review a
curator does before a release. Rows are matched by primary key (target_id, baseline_id, ...) and every cell is
compared as the text in the CSV, so 8 -> 8.0 shows as a change.

OLD and NEW are each either
  a folder    a project root holding data/curated, or a data/curated folder itself;
  a revision  any git revision of the project (HEAD, HEAD~1, a tag, a commit), read with
              git without touching the working tree.
A path that exists is taken as a folder. '.' is the working copy.

The header gives each side's data version (semantic version from data/curated/VERSION plus
a hash of the content, as in mfgpolicy.data_version()). Exit status: 0 when the versions were
compared (whether or not they differ), 2 when one cannot be read.

examples:
  mfgpolicy diff HEAD .                    uncommitted edits to data/curated
  mfgpolicy diff HEAD~5 HEAD               the last five commits
  mfgpolicy diff HEAD~1 HEAD --table targets
  mfgpolicy diff old-copy/ . --format csv > review.csv
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Register the ``diff`` subcommand on ``sub``."""
    parser = sub.add_parser(
        "diff", parents=[common_options()],
        help="targets (and other rows) added, removed and changed between two data versions",
        description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", metavar="OLD", help="the earlier version: a folder or a git revision")
    parser.add_argument("new", metavar="NEW", help="the later version: a folder or a git revision")
    parser.add_argument("--table", choices=TABLE_NAMES, action="append", default=None, metavar="TABLE",
                        help=f"compare only this table; repeat for several ({', '.join(TABLE_NAMES)})")
    parser.add_argument("--format", choices=("text", "csv"), default="text",
                        help="text: grouped by table and id, for reading (default); "
                             "csv: one row per change (table,id,change,field,old,new) for a spreadsheet; text "
                             "that would start a formula (=, +, -, @) gets a leading apostrophe")
    parser.add_argument("--repo", type=Path, default=None, metavar="DIR",
                        help="git repository to read revisions from (default: the project folder found)")
    parser.set_defaults(func=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    """Print the differences between two versions; return 0, or 2 if a version cannot be read."""
    from mfgpolicy.errors import MfgPolicyError, UsageError
    from mfgpolicy.versions.diff import changed_files, diff_tables, read_files, tables_from_files, version_label

    try:
        sides = []
        for spec in (args.old, args.new):
            files = read_files(spec, root=args.repo)
            sides.append((spec, files, tables_from_files(files, source=f"{spec}: ")))
        (old_spec, old_files, old_tables), (new_spec, new_files, new_tables) = sides
        if args.table:
            old_tables = {k: v for k, v in old_tables.items() if k in args.table}
            new_tables = {k: v for k, v in new_tables.items() if k in args.table}
        changes = diff_tables(old_tables, new_tables)
        labels = (version_label(old_files), version_label(new_files))
    except (MfgPolicyError, OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{exc}") from None
    if args.format == "csv":
        from mfgpolicy import safecsv

        sys.stdout.write(safecsv.write_csv(changes))
        return 0
    other = [(n, c) for n, c in changed_files(old_files, new_files)
             if n not in {f"{t}.csv" for t in TABLE_NAMES} and n != "VERSION"]
    print(format_text(changes, old=(old_spec, labels[0]), new=(new_spec, labels[1]),
                      other_files=[] if args.table else other), end="")
    return 0


def _show(value: str | None) -> str:
    """Render one cell: ``(empty)`` for null, JSON quotes when spaces or line breaks would hide."""
    if value is None:
        return "(empty)"
    if value != value.strip() or any(ch in value for ch in "\n\r\t") or value == "(empty)":
        return json.dumps(value, ensure_ascii=False)
    return value


def format_text(changes: pl.DataFrame, *, old: tuple[str, str], new: tuple[str, str],
                other_files: list[tuple[str, str]] = ()) -> str:
    """Return the text report of ``diff_tables`` output, grouped by table and id.

    ``old`` and ``new`` are ``(spec, data version)``; ``other_files`` lists changed files that
    are not tables (e.g. ``datapackage.json``).
    """
    width = max(len(old[0]), len(new[0]))
    lines = [f"old: {old[0]:<{width}}  {old[1]}", f"new: {new[0]:<{width}}  {new[1]}", ""]
    if changes.is_empty() and not other_files:
        lines.append("no differences in the curated tables")
        return "\n".join(lines) + "\n"
    marks = {"added": "+", "removed": "-", "changed": "~"}
    for table in dict.fromkeys(changes["table"].to_list()):
        part = changes.filter(changes["table"] == table)
        rows = part.filter(part["id"].is_not_null())
        counts = {c: rows.filter(rows["change"] == c)["id"].n_unique() for c in ("added", "removed", "changed")}
        n_fields = rows.filter(rows["change"] == "changed").height
        lines.append(f"{table}: {counts['added']} added, {counts['removed']} removed, "
                     f"{counts['changed']} changed ({n_fields} field{'s' if n_fields != 1 else ''})")
        for change, field in part.filter(part["id"].is_null()).select("change", "field").iter_rows():
            lines.append(f"  {marks[change]} column {field} ({change})")
        current = None
        for id_, change, field, before, after in rows.select("id", "change", "field", "old", "new").iter_rows():
            if id_ != current:
                lines.append(f"  {marks[change]} {id_}")
                current = id_
            if change == "changed":
                lines.append(f"      {field}: {_show(before)} -> {_show(after)}")
            else:
                for key, value in json.loads(after if change == "added" else before).items():
                    lines.append(f"      {key}: {_show(value)}")
        lines.append("")
    if other_files:
        lines.append("other files: " + ", ".join(f"{n} ({c})" for n, c in other_files))
    return "\n".join(lines).rstrip("\n") + "\n"
