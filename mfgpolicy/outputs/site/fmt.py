"""Numbers as the data browser writes them: values as the plans write them, measures with their units.

Measures are the catalog's (``targets_harmonised``; rules in ``mfgpolicy.harmonise``): rates in
percent a year, signed, shown with two decimals and a true minus sign; nothing is recomputed.
"""

from __future__ import annotations

MINUS = "\u2212"
COMPARATORS = {">=": "≥ ", "<=": "≤ ", "~": "about ", "=": "", "range": ""}
"""How each comparator is written before a value (a range is written low–high)."""


def number(value: float | None, digits: int = 2) -> str:
    """Return ``value`` with at most ``digits`` decimals, trailing zeros dropped, a true minus sign.

    Examples
    --------
    >>> number(-3.891285), number(18.0), number(33.333333, 1), number(None)
    ('−3.89', '18', '33.3', '')
    """
    if value is None:
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return (text if text != "-0" else "0").replace("-", MINUS)


def as_written(value: float | None) -> str:
    """Return a value as a plan writes it: whole numbers without decimals, else up to 4 significant digits.

    Examples
    --------
    >>> as_written(1200.0), as_written(2.3), as_written(1 / 3)
    ('1200', '2.3', '0.3333')
    """
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.4g}".replace("-", MINUS)


def signed(value: float, digits: int = 2) -> str:
    """Return ``value`` with its sign always written.

    Examples
    --------
    >>> signed(3.594), signed(-0.5), signed(0.0)
    ('+3.59', '−0.5', '0')
    """
    text = number(value, digits)
    return text if text.startswith(MINUS) or text == "0" else f"+{text}"


def target_value(row: dict) -> str:
    """Return the target as written: comparator, value (or range) and unit.

    Examples
    --------
    >>> target_value({"comparator": ">=", "value": 18.0, "value_high": None, "unit": "%"})
    '≥ 18%'
    >>> target_value({"comparator": "range", "value": 10.0, "value_high": 12.0, "unit": "亿元"})
    '10–12 亿元'
    """
    value = as_written(row["value"])
    if row.get("value_high") is not None:
        value = f"{value}–{as_written(row['value_high'])}"
    unit = row.get("unit") or ""
    gap = "" if unit in ("%", "") or unit.startswith("%") else " "
    return f"{COMPARATORS.get(row.get('comparator') or '=', '')}{value}{gap}{unit}"


_MEASURES = (
    ("annualised_pct", "sensitivity_low", "sensitivity_high", "% a year"),
    ("pp_per_year", "pp_sensitivity_low", "pp_sensitivity_high", " pp a year"),
    ("points_per_year", None, None, " points a year"),
)


def measure(row: dict) -> tuple[str, str]:
    """Return the harmonised measure and its range across conventions (``""`` when there is none).

    Examples
    --------
    >>> measure({"annualised_pct": -3.891, "sensitivity_low": -6.401, "sensitivity_high": -3.6})
    ('−3.89% a year', '−6.40 to −3.60')
    >>> measure({"per_year_value": 400.0, "per_year_low": 400.0, "per_year_high": 400.0, "unit": "亿元"})
    ('400 亿元 a year', '')
    """
    for column, low, high, unit in _MEASURES:
        if row.get(column) is not None:
            return f"{signed(row[column])}{unit}", _range(row.get(low), row.get(high), row[column])
    if row.get("per_year_value") is not None:
        main = f"{number(row['per_year_value'])} {row.get('unit') or ''} a year".replace("  ", " ")
        return main, _range(row.get("per_year_low"), row.get("per_year_high"), row["per_year_value"])
    return "", ""


def _range(low: float | None, high: float | None, value: float) -> str:
    if low is None or high is None or number(low) == number(high):
        return ""
    if number(low) == number(value) and number(high) == number(value):
        return ""
    return f"{f'{low:.2f}'.replace('-', MINUS)} to {f'{high:.2f}'.replace('-', MINUS)}"


def years(row: dict) -> str:
    """Return the span of a target: base year (``*`` when implied, not stated) → target year.

    Examples
    --------
    >>> years({"base_year": 2015, "base_year_stated": False, "target_year": 2020})
    '2015* → 2020'
    >>> years({"base_year": None, "target_year": 2023})
    'by 2023'
    """
    if row.get("base_year") is None:
        return f"by {row['target_year']}"
    star = "" if row.get("base_year_stated") else "*"
    return f"{row['base_year']}{star} → {row['target_year']}"
