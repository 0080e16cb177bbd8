"""Named exceptions of mfgpolicy."""

from __future__ import annotations


class MfgPolicyError(Exception):
    """Base class of every error the library raises on purpose."""


class ValidationError(MfgPolicyError):
    """The curated data failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} validation problem(s):\n{lines}")


class UnknownIndicatorError(MfgPolicyError, KeyError):
    """An indicator key that is not in the curated ``indicators`` table."""

    def __init__(self, key: str, known: list[str]) -> None:
        from difflib import get_close_matches

        self.key = key
        close = get_close_matches(key, known, n=5, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        super().__init__(f"unknown indicator_key {key!r}; {hint}"
                         f"{len(known)} keys are known (`mfgpolicy coverage` lists those with targets)")

    def __str__(self) -> str:  # KeyError would add quotes around the message
        return self.args[0]


class UnknownChoiceError(MfgPolicyError, ValueError):
    """An option value outside its allowed set."""

    def __init__(self, name: str, value: object, allowed: tuple) -> None:
        super().__init__(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


def check_choice(name: str, value: object, allowed: tuple) -> None:
    """Raise ``UnknownChoiceError`` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise UnknownChoiceError(name, value, allowed)
