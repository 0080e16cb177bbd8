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
    p = sub.add_parser("achievement", parents=parents, help="targets against the outcomes observed in their target year",
                       description=cmd_achievement.__doc__)
    p.add_argument("--indicator", default=None, help="only this indicator_key")
    p.add_argument("--status", choices=("met", "missed", "not_comparable"), default=None, help="only this status")
    p.set_defaults(func=cmd_achievement)
    p = sub.add_parser("escalation", parents=parents, help="city targets beside the parent plans they implement",
                       description=cmd_escalation.__doc__)
    p.add_argument("--city", default=None, help="only this city (e.g. Jinhua)")
    p.add_argument("--indicator", default=None, help="only this indicator_key")
    p.set_defaults(func=cmd_escalation)


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


def cmd_achievement(args: argparse.Namespace) -> int:
    """Print every target that has an outcome observed in its target year: met, missed or not comparable (why)."""
    from mfgpolicy.comparison import achievement

    frame = achievement(con=open_catalog(args, project_of(args)), indicator_key=args.indicator, status=args.status)
    print_frame(frame.select("target_id", "city", "indicator_key", "value", "unit", "comparator", "commitment",
                             "target_year", "observed_value", "observed_unit", "observed_period", "outcome", "gap",
                             "status", "difference", "observation_id"))
    return 0


def cmd_escalation(args: argparse.Namespace) -> int:
    """Print each city target beside its parent plan's target on the same indicator: same, tighter or looser."""
    from mfgpolicy.comparison import escalation

    frame = escalation(con=open_catalog(args, project_of(args)), city=args.city, indicator_key=args.indicator)
    print_frame(frame.select("city", "indicator_key", "target_id", "cited_target_id", "measure", "city_value",
                             "parent_value", "difference", "relation", "differences"))
    return 0
