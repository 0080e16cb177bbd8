"""Named exceptions of mfgpolicy: every expected error, each with the exit status the CLI uses.

``exit_code`` is 2 for a usage error (a bad argument, path or key: the caller can fix the
call) and 1 for data that is invalid, missing or out of date. The command line prints the
message on one line and exits with that status; a traceback appears only with ``-v`` or for a
real bug.
"""

from __future__ import annotations


class MfgPolicyError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code = 1


class UsageError(MfgPolicyError, ValueError):
    """A call or command-line argument that cannot be carried out as given."""

    exit_code = 2


class DataNotFoundError(MfgPolicyError, FileNotFoundError):
    """No project data where it was looked for (``--root``, ``MFGPOLICY_ROOT``, bundled)."""

    exit_code = 2


class DatabaseNotFoundError(MfgPolicyError, FileNotFoundError):
    """A database path to read that does not exist (it is never created by reading)."""

    exit_code = 2


class StaleDatabaseError(MfgPolicyError):
    """A database built from other data than the current curated tables, or by another schema."""


class OutputError(MfgPolicyError, OSError):
    """An output that cannot or must not be written: it would overwrite an input, or the path is unusable."""

    exit_code = 2


class InputTooLargeError(MfgPolicyError):
    """An input file larger than the configured limit (``MFGPOLICY_MAX_INPUT_MB``)."""


class ValidationError(MfgPolicyError):
    """The data failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} validation problem(s):\n{lines}")


class UnknownIndicatorError(MfgPolicyError, KeyError):
    """An indicator key that is not in the curated ``indicators`` table."""

    exit_code = 2

    def __init__(self, key: object, known: list[str]) -> None:
        from difflib import get_close_matches

        self.key = key
        if not isinstance(key, str):
            message = f"indicator_key must be a string such as 'energy_intensity', got {key!r}"
        else:
            close = get_close_matches(key, known, n=5, cutoff=0.5)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            message = (f"unknown indicator_key {key!r}; {hint}{len(known)} keys are known "
                       "(`mfgpolicy coverage` lists those with targets)")
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would add quotes around the message
        return self.args[0]


class UnknownChoiceError(UsageError):
    """An option value outside its allowed set."""

    def __init__(self, name: str, value: object, allowed: tuple) -> None:
        super().__init__(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


def check_choice(name: str, value: object, allowed: tuple) -> None:
    """Raise ``UnknownChoiceError`` unless ``value`` is one of ``allowed``.

    Examples
    --------
    >>> check_choice("lang", "fr", ("en", "zh"))
    Traceback (most recent call last):
    ...
    mfgpolicy.errors.UnknownChoiceError: lang must be one of 'en', 'zh'; got 'fr'
    """
    if value not in allowed:
        raise UnknownChoiceError(name, value, allowed)


class ReadError(MfgPolicyError):
    """A file that cannot be read as what it should be (CSV, YAML sidecar, UTF-8 text).

    ``file`` names it, ``line`` locates the problem where that is known.
    """

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file, self.message, self.line = file, message, line
        where = f"{file} (line {line})" if line is not None else file
        super().__init__(f"{where}: {message}")
