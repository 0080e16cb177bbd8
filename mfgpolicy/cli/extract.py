"""``mfgpolicy extract PATH [--out CSV]`` and ``--evaluate``: candidate targets from a plan's text.

Exit status: 0 done, 1 ``--check`` failed, 2 the input could not be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mfgpolicy.cli.common import common_options, option, project_of

DESCRIPTION = """\
Propose candidate targets from a plan's text, for a person to accept, fix or drop.

Reads PATH (UTF-8; GB18030/GBK is detected, or name the encoding with --encoding) and writes
one CSV row per candidate in the columns of data/curated/targets.csv, followed by `confidence`
(of the suggested indicator_key) and `rule` (which rule proposed the row). Quotes are verbatim:
text[char_start:char_end] == quote, offsets into the decoded file. A sidecar PATH-stem.meta.yml
beside the file supplies doc_id, city and the plan period (used for implied base and target
years).

With --evaluate, runs the extractor on every data/raw/*.txt and scores it against the curated
targets (data/curated/targets.csv, or data/curated/_staging/*.targets.csv while curation is
under way): recall, precision, the misses and the unmatched proposals.
"""

EPILOG = """\
examples:
  mfgpolicy extract data/raw/lishui-2023.txt --out lishui-2023.candidates.csv
  mfgpolicy extract plan-gbk.txt --encoding gbk --doc-id lishui-2023 > candidates.csv
  mfgpolicy extract data/raw/lishui-2023.txt --explain     # why each number is (not) proposed
  mfgpolicy extract --evaluate                             # recall and precision on data/raw
  mfgpolicy extract --evaluate --check                     # ... and exit 1 below the aim

exit status: 0 done, 1 --check and the scores are below the aim, 2 the input could not be read.
See docs/add-a-plan.md for the whole walk-through.
"""


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def register(sub: argparse._SubParsersAction) -> None:
    """Register the ``extract`` subcommand on ``sub``."""
    p = sub.add_parser(
        "extract", parents=[common_options()], help="propose candidate targets from a plan's text (or --evaluate the extractor)",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path", nargs="?", type=Path, metavar="PATH", help="the plan's text file")
    p.add_argument("--out", type=Path, metavar="CSV",
                   help="write the CSV here (atomically) instead of to stdout; with --evaluate, "
                        "write the misses and unmatched proposals here")
    p.add_argument("--encoding", metavar="ENC", help="the file's encoding, e.g. gbk (default: detect)")
    p.add_argument("--doc-id", metavar="ID", help="doc_id for the rows (default: the sidecar's, else the file stem)")
    p.add_argument("--explain", action="store_true",
                   help="instead of candidates, list every number with the reason it is or is not proposed")
    p.add_argument("--evaluate", action="store_true",
                   help="score the extractor on every raw document against the curated targets")
    p.add_argument("--check", action="store_true",
                   help="with --evaluate: exit 1 unless recall >= 95%% and precision >= 85%%")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``extract`` with parsed ``args``; return the exit code (errors are raised, named)."""
    from mfgpolicy.errors import UsageError

    if getattr(args, "evaluate", False):
        return _evaluate(args)
    if args.path is None:
        raise UsageError("give the PATH of a plan's text, or --evaluate")
    return _extract(args)


def _guard(args: argparse.Namespace) -> Path | None:
    """Refuse an --out that would overwrite an input (the plan itself, any project's raw or curated data)."""
    from mfgpolicy._io import guard_output
    from mfgpolicy.errors import OutputError

    if not args.out:
        return None
    out = guard_output(args.out, project_of(args, announce=False), what="the candidates", kind="csv")
    if args.path is not None and args.path.exists() and out.resolve() == args.path.resolve():
        raise OutputError(f"refusing to write the candidates over the plan {args.path} itself")
    return out


def _extract(args: argparse.Namespace) -> int:
    import polars as pl

    from mfgpolicy.extract.core import curated_beside, explain_text, extract_text, read_meta, read_plan
    from mfgpolicy.extract.output import to_csv, write_csv

    path: Path = args.path
    out = _guard(args)
    text, encoding = read_plan(path, args.encoding)
    meta = read_meta(path)
    if args.explain:
        frame = explain_text(text, meta.period)
        with pl.Config(tbl_rows=-1, fmt_str_lengths=40, tbl_width_chars=160, tbl_hide_dataframe_shape=True,
                       tbl_hide_column_data_types=True):
            print(frame)
        return 0
    doc_id = args.doc_id or meta.doc_id or path.stem
    frame = extract_text(text, doc_id=doc_id, city=meta.city, period=meta.period, curated=curated_beside(path))
    period = f"{meta.period[0]}-{meta.period[1]}" if meta.period else "inferred from the text"
    _say(f"{path}: {len(text)} characters ({encoding}), plan period {period}: {frame.height} candidate targets")
    if out is not None:
        _say(f"wrote {write_csv(frame, out)}")
    else:
        sys.stdout.write(to_csv(frame))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    import polars as pl

    from mfgpolicy.extract.evaluate import evaluate
    from mfgpolicy.extract.output import write_csv

    out = _guard(args)
    result = evaluate(option(args, "root"), progress=_say)
    print(result.report())
    if out is not None:
        misses = result.misses.with_columns(pl.lit("miss").alias("what"))
        unmatched = result.false_positives.select(
            pl.lit("unmatched proposal").alias("what"), "doc_id", pl.lit(None, pl.String).alias("target_id"),
            pl.col("value").cast(pl.String), "unit", pl.col("char_start").cast(pl.String), "quote")
        both = pl.concat([misses.select(unmatched.columns), unmatched], how="vertical_relaxed")
        _say(f"wrote {write_csv(both, out)}")
    if args.check and not result.meets_aim():
        _say("below the aim")
        return 1
    return 0
