"""The static data browser: ``mfgpolicy site`` writes a set of HTML pages that need no server.

``index.html`` lists every target (city, plan, indicator, the number as written, years, the
harmonised measure and its range, the quote, caveats and evidence) with filters by city,
indicator and plan and a text search; ``plan-<doc_id>.html`` shows each plan's full text with
every quote marked and anchored (``#<target_id>``), so each number in the index opens its place
in the plan; ``evidence.html`` lists the outside evidence, each cited figure linked to its
source's address. The pages carry the data version, the licence and how to cite.

The modules follow the flow: ``data`` (the catalog's rows as plain dicts, the plans' texts
checked against the database), ``marks`` (where the quotes stand in a text), ``fmt`` (numbers),
``markup`` (escaped HTML), ``layout``, ``index``, ``document`` and ``evidence`` (the pages),
``write`` (the folder, written atomically). The CSS and script are package data in ``assets/``;
no page loads anything from the network.
"""

from __future__ import annotations

from mfgpolicy.outputs.site.write import write_site

__all__ = ["write_site"]
