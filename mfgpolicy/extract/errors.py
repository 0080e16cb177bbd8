"""The extractor's named error."""

from __future__ import annotations

from mfgpolicy.errors import MfgPolicyError


class ExtractError(MfgPolicyError):
    """A plan could not be read or extracted; the message names the file and what is wrong.

    Examples
    --------
    >>> str(ExtractError("plan.txt", "not valid UTF-8"))
    'plan.txt: not valid UTF-8'
    """

    exit_code = 2

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")
