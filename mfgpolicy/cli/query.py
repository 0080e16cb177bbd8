"""Commands that show comparisons from the catalog: ``headline``, ``compare``, ``coverage``."""

from __future__ import annotations

import argparse

from mfgpolicy.cli.common import common_options, open_catalog, print_frame, project_of

COMPARE_SHOWN = ("city", "doc_id", "scope", "comparator", "hedge", "value", "unit", "base_year", "target_year",
                 "annualised_pct", "pp_per_year", "rule", "why_not")


def register(sub: argparse._SubParsersAction) -> None:
    """Register the query commands on ``sub``."""
    parents = [common_options(database=True)]
    p = sub.add_parser("headline", parents=parents, help="print the cross-city headline comparison",
                       description=cmd_headline.__doc__)
    p.set_defaults(func=cmd_headline)
    p = sub.add_parser("compare", parents=parents, help="compare one indicator across cities, harmonised",
                       description=cmd_compare.__doc__)
    p.add_argument("indicator", help="indicator_key, e.g. energy_intensity (see `mfgpolicy coverage`)")
    p.add_argument("--rank", action="store_true", help="order cities by ambition, ties and exclusions explained")
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("coverage", parents=parents, help="which city sets which indicator",
                       description=cmd_coverage.__doc__)
    p.set_defaults(func=cmd_coverage)


def cmd_headline(args: argparse.Namespace) -> int:
    """Print the cross-city table of headline targets (labour productivity, energy intensity, R&D shares)."""
    from mfgpolicy.outputs.headline import headline_table

    print(headline_table(open_catalog(args, project_of(args))))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Print the harmonised cross-city comparison (or, with --rank, the ranking) of one indicator."""
    from mfgpolicy.comparison import compare, rank

    con = open_catalog(args, project_of(args))
    frame = rank(args.indicator, con=con) if args.rank else compare(args.indicator, con=con)
    columns = ["rank", *COMPARE_SHOWN, "rank_note"] if args.rank else list(COMPARE_SHOWN)
    print_frame(frame.select(columns), rows=200)
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print which city sets which indicator (number of targets per city)."""
    from mfgpolicy.comparison import coverage

    print_frame(coverage(con=open_catalog(args, project_of(args))), strings=50)
    return 0
