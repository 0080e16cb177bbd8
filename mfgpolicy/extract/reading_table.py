"""The reading of ``reading.py`` as columns: comparator, hedge, kind, years, quote of every target at once.

``read_all(b, frame)`` takes the proposed candidates of a batch with their context
(``rules_table.context_of``) and returns them with the columns of ``reading.Reading``. Each part
is the Python function's logic over the whole table: a regular expression on a window of text
(polars), or a binary search among the batch's indexes (numpy) for what the Python reads with
``finditer`` (year phrases, hedges, 每年, 年均, durations). It runs in three steps: what the
words after the unit and before the number say (polars), where the quote ends and what the
indexes say (numpy), then everything that follows from the quote's start (one polars query).
A row whose reading the columns cannot vouch for is marked ``fallback``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from mfgpolicy.extract import scan
from mfgpolicy.extract.batch import UNKNOWN, Batch, slices, take
from mfgpolicy.extract.reading import _HEDGES, _SUFFIX_CMP
from mfgpolicy.extract.regex import sub

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

_LEAD = (r"(?:[\s、和及与并且,]|其中|同时|即|力争|争取|确保|努力|到\d{4}年底?|至\d{4}年|\d{4}年,?)")
_ADVERB = "(?:重点|着力|加快|全力|积极|大力|努力|力争|争取|确保|累计|三年|每年)"
_PREFIX_CMP = (
    ("(?:突破|超过|超|不低于|不少于|不小于|至少|高于|多于)(?:达到|到)?", ">="),
    ("(?:不超过|不高于|低于|少于|控制在)", "<="),
    ("(?:约|近|大约)", "~"),
)
_VERBS = ("(?:新增|培育|建成|建设|创建|引进|新建|打造|实施|完成|组织|举办|推进|推动|开展|形成|争创|累计|全年|每年|"
          "三年|当年|招引落地|招引|重点|提升发展|规划建设|动态培育|新培育|主持|支持|遴选|整治提升|整治|淘汰|处置|"
          "促成|谋划|入选|掌握|突破和提升|突破|建立|认定|引导|培养|集聚)")
_TAILS = (r"(?:年均增长率?|年均增速|年均提高|年均|比\d{4}年|增长|增速|提高|提升|下降|降低|减少|达到|达|突破|超过|超|保持|"
          r"为|占|至少|不低于|不少于|约|近|各|实现|力争|争取|确保|努力)")
_SECTOR = r"([\x{4e00}-\x{9fff}]{2,14}?(?:及其相关|及相关|相关)?(?:行业|产业))(?:产值)?达到"
_HEDGE_WORDS = tuple(_HEDGES)
_NUMERAL_YEARS = "两三四五六七八九十"


def read_all(b: Batch, frame: pl.DataFrame) -> pl.DataFrame:
    """Return the proposed candidates ``frame`` with what ``reading.read`` reads of each.

    Added columns: ``comparator``, ``hedge``, ``kind``, ``direction``, ``base_year``,
    ``base_year_stated``, ``target_year``, ``per_year``, ``scope``, ``tier``, ``quote_start``,
    ``quote_end``, ``indicator_start``, ``indicator_end``, ``notes``, ``unit`` (with 亩均's
    "/亩"; the unit found is kept as ``unit_raw``), and ``fallback`` (true where the Python
    reading must be asked).
    """
    import numpy as np

    wide = regex_wide()
    frame = frame.lazy().with_columns(**_around(wide)).with_columns(**_comparator(wide)).collect()
    s, ss, doc = (frame[c].to_numpy() for c in ("start", "ss", "doc"))
    quote_end = _quote_end(b, frame)
    follows = np.zeros(doc.size, dtype=bool)
    follows[1:] = doc[1:] == doc[:-1]
    quote_from = np.where(follows, np.concatenate(([-1], quote_end))[:-1], -1)
    scope_text = slices(b.norm, ss, quote_end)
    frame = frame.with_columns(
        quote_end=quote_end, quote_from=quote_from, scope_text=scope_text, hedge=_hedge(b, frame), tier=b.tier(s),
        four_digit_year=_four_digits_then_year(b, s, frame["hi"].to_numpy()), **_time_markers(b, frame),
        **_base_stated(b, s, frame["cs"].to_numpy()))
    query = frame.lazy()
    for step in (_quote(wide), _words(wide), _kind_words(wide), _kind(), _per_year(), _base_year(), _verb(),
                 _tail(wide), _indicator(), _scope_words(), _scope_and_notes()):
        query = query.with_columns(**step)  # each step reads the columns of the steps before it
    return query.collect()


def regex_wide() -> bool:
    """Whether the patterns must cover characters beyond the Basic Multilingual Plane (a cache key)."""
    from mfgpolicy.extract import regex

    return regex._WIDE


@lru_cache(maxsize=2)
def _around(wide: bool) -> dict[str, pl.Expr]:
    """What the words next to the number say: the suffix after the unit (``reading.suffix``: its
    comparator word, and ``after``), the hedges, time words and adverbs opening the clause
    (``opening``, for ``has_subject``), and the comparator words ending the six characters before
    the number (the length of each pattern's leftmost match there, ``cmp1`` … ``cmp3``)."""
    import polars as pl

    c = pl.col
    suffix = c("after_unit").str.extract_groups(sub(r"^(\s?(?:\(含\))?)(及以上|以上|及以下|以下|以内|左右|上下)?"))
    before6 = c("before8").str.slice(-6)
    found = {f"cmp{k}": before6.str.extract(rf"({pattern}\n?)$", 1).str.len_chars()
             for k, (pattern, _) in enumerate(_PREFIX_CMP, start=1)}
    return {"unit_raw": c("unit"), "suffix_lead": suffix.struct[0].str.len_chars(), "suffix_word": suffix.struct[1],
            "opening": c("clause").str.extract(sub(rf"^({_LEAD}*{_ADVERB}*)"), 1).str.len_chars(),
            "before_break": (c("c_prev") == 10) & before6.str.ends_with("\n"), **found}


@lru_cache(maxsize=2)
def _comparator(wide: bool) -> dict[str, pl.Expr]:
    """``reading.comparator``, and ``after`` (the end of the suffix).

    ``has_subject`` asks whether words stand between the clause's start and a comparator word;
    the hedges, time phrases and adverbs that open a clause never run into such a word, so their
    length is read once, to the number. A comparator word followed by a line break before the
    number ends in another clause, which the columns do not read (``fallback``).
    """
    import polars as pl

    c = pl.col
    prefix = pl.lit("=")
    matched = pl.lit(False)
    for k, (_, symbol) in reversed(list(enumerate(_PREFIX_CMP, start=1))):
        found = c(f"cmp{k}")
        subject = c("opening") < c("start") - found - c("cs")
        prefix = pl.when(found.is_not_null() & subject).then(pl.lit(symbol)).otherwise(prefix)
        matched = matched | found.is_not_null()
    more = c("c_e0").is_in([ord("多"), ord("余")]) & ~c("chinese")
    word = c("suffix_word")
    comparator = (pl.when(c("high").is_not_null()).then(pl.lit("range")).when(c("c_ue0") == ord("级")).then(pl.lit("~"))
                  .when(word.is_not_null()).then(word.replace_strict(_SUFFIX_CMP, default=None))
                  .when(more).then(pl.lit(">=")).otherwise(prefix))
    return {"after": c("unit_end") + c("suffix_lead") + word.str.len_chars().fill_null(0), "comparator": comparator,
            "fallback": c("fallback") | (c("before_break") & matched)}


def _quote_end(b: Batch, frame: pl.DataFrame) -> np.ndarray:
    """``reading._quote_end``: after the unit and its suffix; a count's noun (or a 的-measure's) joins
    the quote up to 、, a digit, the clause's end or 40 characters, without a last 和/及/与/或."""
    import numpy as np

    after, hi, ce = (frame[c].to_numpy() for c in ("after", "hi", "ce"))
    nxt = b.char(after, after, hi)
    count = (frame["category"] == "count").to_numpy()
    goes_on = (nxt >= 0) & ~scan.one_of(nxt, ",;。:!?\n、") & (count | scan.one_of(nxt, "的级"))
    end = after.copy()
    rows = np.flatnonzero(goes_on)
    if rows.size:
        limit = np.minimum(ce[rows], after[rows] + 40)
        at = after[rows][:, None] + np.arange(41)  # the limit is at most 40 on
        codes = b.points[np.minimum(at, b.points.size - 1)]
        table = scan.isdigit_table(0x110000 if int(codes.max()) >= scan.BMP else scan.BMP)
        stop = (codes == ord("、")) | table[np.clip(codes, 0, table.size - 1)] | (at >= limit[:, None])
        end[rows] = after[rows] + stop.argmax(axis=1)  # (a limit before ``after`` leaves the end there)
        strip = rows[(end[rows] > after[rows]) & scan.one_of(b.points[end[rows] - 1], "和及与或 ")]
        while strip.size:
            end[strip] -= 1
            strip = strip[(end[strip] > after[strip]) & scan.one_of(b.points[end[strip] - 1], "和及与或 ")]
    return end


def _hedge(b: Batch, frame: pl.DataFrame) -> pl.Series:
    """``reading.hedge``: the last 力争/争取/确保/努力 before the number in its sentence that is in its
    clause or opens its own clause after a time phrase (read once for every hedge of the batch)."""
    import numpy as np
    import polars as pl

    found = [b.occurrences(word[0]) for word in _HEDGE_WORDS]
    starts = [at[b.points[at + 1] == ord(word[1])] for at, word in zip(found, _HEDGE_WORDS)]
    kinds = np.concatenate([np.full(s.size, k) for k, s in enumerate(starts)])
    starts = np.concatenate(starts)
    order = np.argsort(starts, kind="stable")
    starts, kinds = starts[order], kinds[order]
    kept = scan.non_overlapping(starts, starts + 2)
    starts, kinds = starts[kept], kinds[kept]
    clause = b.starts_before(b.clause_ends, starts)
    opens = slices(b.norm, clause, starts).str.contains(
        sub(r"^\s*(?:(?:到|至|在)?\s?(?:19|20)\d{2}\s?年(?:底|末)?,?)?\s*$")).to_numpy()
    s, cs, ss = (frame[c].to_numpy() for c in ("start", "cs", "ss"))
    i = np.searchsorted(starts, s) - 1
    own = (i >= 0) & (take(starts, i, -1) >= cs)
    open_starts, open_kinds = starts[opens], kinds[opens]
    j = np.searchsorted(open_starts, s) - 1
    earlier = ~own & (j >= 0) & (take(open_starts, j, -1) >= ss)
    kind = np.where(own, take(kinds, i, -1), np.where(earlier, take(open_kinds, j, -1), -1))
    words = np.array(["", *(_HEDGES[w] for w in _HEDGE_WORDS)], dtype=object)
    return pl.Series(words[kind + 1].tolist(), dtype=pl.String)

def _time_markers(b: Batch, frame: pl.DataFrame) -> dict[str, object]:
    """``reading.time_markers``: the last time marker before the number in its sentence (每年, a
    duration, 年均 in its item, a target year), the target year, and whether it is a one-year figure."""
    import numpy as np
    import polars as pl

    s, ss, item, ls = (frame[c].to_numpy() for c in ("start", "ss", "item", "ls"))
    first, last = frame["first_year"].fill_null(UNKNOWN).to_numpy(), frame["last_year"].fill_null(UNKNOWN).to_numpy()
    nian = b.occurrences("年")
    prev, nxt = b.points[np.maximum(nian - 1, 0)], b.points[nian + 1]
    per_year = np.sort(np.concatenate((nian[scan.one_of(prev, "每全当")] - 1,
                                       nian[(nxt == ord("度")) & ~scan.one_of(prev, "每全当")])))
    per_year_at = _last_before(per_year, s - 2, ss)
    junyear = nian[nxt == ord("均")]
    jun_at = _last_before(junyear, s - 2, item)
    start, edge_ok, ok = _durations(b, nian)
    dur_at = _last_before(nian[ok], s - 2, ss)
    dur_at = np.where(dur_at >= 0, take(start[ok], np.searchsorted(nian[ok], dur_at), -1), -1)
    at_edge = np.searchsorted(nian, s - 1)
    edge = (take(nian, at_edge, -1) == s - 1) & take(edge_ok, at_edge, False) & (s - 1 >= ss)
    dur_at = np.where(edge, take(start, at_edge, -1), dur_at)
    target = np.flatnonzero(np.isin(b.year_role, [0, 2]))
    t_end = b.year_end[target]
    i = np.searchsorted(t_end, s, side="right") - 1
    found = (i >= 0) & (take(t_end, i, -1) >= ls)
    year = np.where(found, take(b.year[target], i, 0), UNKNOWN)
    y_start = np.where(found, take(b.year_start[target], i, -1), -1)
    year_mark = found & (y_start >= ss)
    year_at = np.where(year_mark, y_start, -1)
    digit_start = scan.one_of(b.points[np.maximum(y_start, 0)], "12")  # a phrase opens with a word, a space or its year
    one_year = year_mark & (take(b.year_role[target], i, -1) == 0) & digit_start & (first != UNKNOWN) & (
        first <= year) & (year < last)
    marks = np.stack((dur_at * 4 + 1, per_year_at * 4 + 2, jun_at * 4 + 2, year_at * 4 + 3))
    best = marks.max(axis=0)
    marker = np.where(best < 0, 0, best % 4)  # 0 none, 1 duration, 2 per_year, 3 year
    one_year &= marker == 3
    target_year = np.where(found, year, last)
    return {"marker": marker, "one_year": one_year, "target_year": pl.Series(target_year).replace(UNKNOWN, None)}

def _last_before(events: np.ndarray, pos: np.ndarray, since: np.ndarray) -> np.ndarray:
    """The last of the sorted ``events`` at or before each ``pos`` and at or after ``since``, else -1."""
    import numpy as np

    i = np.searchsorted(events, pos, side="right") - 1
    at = take(events, i, -1)
    return np.where((i >= 0) & (at >= since), at, -1)

def _durations(b: Batch, nian: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``reading.duration_starts`` from every 年: where its duration starts ("三年", "12年"), whether
    it is one at the end of a window (nothing after the 年), and whether it is one in the text."""
    import numpy as np

    start = nian.copy()
    back = np.ones(nian.size, dtype=bool)
    while back.any():
        back &= (start > 0) & ((b.flags[np.maximum(start - 1, 0)] & scan.DIGIT) != 0)
        start = start - back
    numeral = (start == nian) & scan.one_of(b.points[np.maximum(nian - 1, 0)], _NUMERAL_YEARS) & (nian > 0)
    start = start - numeral
    edge_ok = start < nian
    after = np.minimum(nian + 1, b.flags.size - 1)
    ok = edge_ok & ~scan.one_of(b.points[nian + 1], "底末") & ((b.flags[after] & scan.DIGIT) == 0)
    return start, edge_ok, ok

def _four_digits_then_year(b: Batch, s: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """True where four digits and 年 stand at the number: the lead of its quote ("2020年,") could run
    past its start, which the columns do not read."""
    import numpy as np

    digits = ((b.flags[np.minimum(s[:, None] + np.arange(4), b.flags.size - 1)] & scan.DIGIT) != 0).all(axis=1)
    return digits & (b.char(s + 4, s, hi) == ord("年"))


def _base_stated(b: Batch, s: np.ndarray, cs: np.ndarray) -> dict[str, object]:
    """``reading._base_year``'s first answer: the last 比/较 year phrase ending in the clause before the number."""
    import numpy as np
    import polars as pl

    base = np.flatnonzero(b.year_role == 1)
    ends = b.year_end[base]
    i = np.searchsorted(ends, s, side="right") - 1
    stated = (i >= 0) & (take(ends, i, -1) >= cs)
    year = np.where(stated, take(b.year[base], i, 0), UNKNOWN)
    return {"stated": stated, "stated_year": pl.Series(year).replace(UNKNOWN, None)}


@lru_cache(maxsize=2)
def _quote(wide: bool) -> dict[str, pl.Expr]:
    """Where the quote starts: after hedges and time words, no earlier than the last quote's end."""
    import polars as pl

    c = pl.col
    clause_q = pl.max_horizontal("cs", pl.min_horizontal("quote_from", "start"))
    lead = c("clause").str.slice(clause_q - c("cs")).str.extract(sub(rf"^({_LEAD}+)"), 1).str.len_chars().fill_null(0)
    return {"quote_start": clause_q + lead}


@lru_cache(maxsize=2)
def _words(wide: bool) -> dict[str, pl.Expr]:
    """The quote's words before the number, the unit with 亩均's "/亩" or 人均's "/人", and the first
    verb of reaching in the words (``reach_at``, ``reach_word``)."""
    import polars as pl

    c = pl.col
    words = c("clause").str.slice(c("quote_start") - c("cs"))
    measure = c("category").is_in(["money", "quantity"]) & ~c("unit").str.contains("/", literal=True)
    unit = (pl.when(measure & words.str.contains("亩均", literal=True)).then(c("unit") + "/亩")
            .when(measure & words.str.contains("人均", literal=True)).then(c("unit") + "/人").otherwise(c("unit")))
    reach_verb = words.str.extract_groups("(?s)^(.*?)(达到|达|突破|超过|总量|总数|有效数|保持|在役)")
    return {"words": words, "unit": unit, "reach_at": reach_verb.struct[0].str.len_chars(),
            "reach_word": reach_verb.struct[1]}


@lru_cache(maxsize=2)
def _kind_words(wide: bool) -> dict[str, pl.Expr]:
    """What the words before the number say of the kind: the ends of ``reading._ANNUAL``,
    ``_DECREASE``, ``_INCREASE``, a 下降 near the number, 年产, a verb of reaching (and whether 突破
    has a subject), and for an amount the whole quote (its words and what follows the number: no
    verb spans the number)."""
    import polars as pl

    c = pl.col
    words = c("words")
    amount_words = "达到|达|突破|总额|总量|规模|产值|保持"
    subject = c("opening") < c("quote_start") + c("reach_at") - c("cs")
    return {
        "down": words.str.slice(-8).str.contains("下降|降低|减少|压减|削减"),
        "annual": words.str.contains("年均(?:增长|增速|提高|提升|增加|下降|降低|减少)?率?(?:达到|为|保持)?$"),
        "decrease": words.str.contains("(?:下降|降低|减少|压减|削减)(?:幅度)?(?:达到|为)?$"),
        "increase": words.str.contains("(?:增长|提高|提升|增加|增速)率?(?:达到|为)?$"),
        "capacity": words.str.contains("年产(?:[^值]|$)"),
        "reach": c("reach_word").is_not_null() & ((c("reach_word") != "突破") | subject),
        "amount_reach": words.str.contains(amount_words)
        | c("scope_text").str.slice(c("start") - c("ss")).str.contains(amount_words),
        "pp": c("unit").str.ends_with("pp"),
        "fallback": c("fallback") | c("four_digit_year"),
    }


@lru_cache(maxsize=1)
def _kind() -> dict[str, pl.Expr]:
    """``reading._kind``: kind and direction from the unit and what the words say."""
    import polars as pl

    c = pl.col
    down = pl.when(c("down")).then(pl.lit("decrease")).otherwise(pl.lit("increase"))
    increase = c("increase") | (c("pp") & ~c("down"))
    percent, level = c("category") == "percent", (c("category") == "index") | c("unit").str.contains("/", literal=True)
    count = (c("category") == "count") & ~c("capacity")
    kind = (pl.when(percent & c("annual")).then(pl.lit("annual_growth"))
            .when(percent & (c("decrease") | increase | c("pp"))).then(pl.lit("change_over_period"))
            .when(percent | level).then(pl.lit("level")).when(count).then(pl.lit("count")).otherwise(pl.lit("amount")))
    direction = (pl.when(percent & c("annual")).then(down).when(percent & c("decrease")).then(pl.lit("decrease"))
                 .when(percent & increase).then(pl.lit("increase")).when(percent & c("pp")).then(pl.lit("decrease"))
                 .when(percent | level).then(pl.lit("reach"))
                 .when(count).then(pl.when(c("reach")).then(pl.lit("reach")).otherwise(pl.lit("increase")))
                 .otherwise(pl.when(c("amount_reach")).then(pl.lit("reach")).otherwise(pl.lit("increase"))))
    return {"kind": kind, "direction": direction}


@lru_cache(maxsize=1)
def _per_year() -> dict[str, pl.Expr]:
    """``per_year``; a change counted per year that increases is annual growth."""
    import polars as pl

    c = pl.col
    one_year_plan = c("first_year").is_not_null() & (c("first_year") == c("last_year"))
    per_year = (c("kind") == "annual_growth") | (c("marker") == 2) | ((c("kind") != "level") & (
        c("one_year") | one_year_plan))
    kind = (pl.when((c("kind") == "change_over_period") & per_year & (c("direction") == "increase"))
            .then(pl.lit("annual_growth")).otherwise(c("kind")))
    return {"per_year": per_year, "one_year_plan": one_year_plan, "kind": kind}


@lru_cache(maxsize=1)
def _base_year() -> dict[str, pl.Expr]:
    """``reading._base_year``: a 比/较 year in the clause, else one implied for a change or an increase."""
    import polars as pl

    c = pl.col
    implied = (
        pl.when(~(c("kind").is_in(["annual_growth", "change_over_period"]) | (c("direction") == "increase")))
        .then(None)
        .when(c("one_year") & c("target_year").is_not_null()).then(c("target_year") - 1)
        .when(c("one_year_plan") & c("target_year").is_not_null()).then(c("target_year") - 1)
        .when(c("first_year").is_not_null()).then(c("first_year") - 1)
        .otherwise(None)
    )
    base_year = pl.when(c("stated")).then(c("stated_year")).otherwise(implied)
    return {"base_year": base_year,
            "base_year_stated": pl.when(base_year.is_null()).then(None).otherwise(c("stated"))}


@lru_cache(maxsize=1)
def _verb() -> dict[str, pl.Expr]:
    """Where the indicator's words start: after the verbs opening the quote (``reading._VERB_STRIP``)."""
    import polars as pl

    c = pl.col
    return {"ind_start": c("quote_start") + c("words").str.extract(f"^{_VERBS}+", 0).str.len_chars().fill_null(0)}


@lru_cache(maxsize=2)
def _tail(wide: bool) -> dict[str, pl.Expr]:
    """Where they end: before the words ending them (the leftmost match of ``_TAIL_STRIP`` at their
    end, as ``search`` finds it)."""
    import polars as pl

    c = pl.col
    tail = c("words").str.slice(c("ind_start") - c("quote_start")).str.extract(sub(f"{_TAILS}+$"), 0).str.len_chars()
    return {"ind_end": c("start") - tail.fill_null(0)}


@lru_cache(maxsize=1)
def _indicator() -> dict[str, pl.Expr]:
    """``reading.indicator_span``: those words, else the noun after a count, else the words to the number."""
    import polars as pl

    c = pl.col
    own = c("ind_end") - c("ind_start") >= 2
    after = c("quote_end") - c("after") >= 2
    return {"indicator_start": pl.when(own).then(c("ind_start")).when(after).then(c("after")).otherwise(c("ind_start")),
            "indicator_end": pl.when(own).then(c("ind_end")).when(after).then(c("quote_end")).otherwise(c("start"))}


@lru_cache(maxsize=1)
def _scope_words() -> dict[str, pl.Expr]:
    """The words of the sentence up to the quote's end that ``reading.scope`` looks for."""
    import polars as pl

    text = pl.col("scope_text")
    maybe_sector = text.str.contains("达到", literal=True) & text.str.contains("行业|产业")
    return {"sector": pl.when(maybe_sector).then(text).str.extract(_SECTOR, 1),
            "manufacturing": text.str.contains("规上制造业|规模以上制造业"),
            "industry": text.str.contains("规上工业|规模以上工业")}


@lru_cache(maxsize=1)
def _scope_and_notes() -> dict[str, pl.Expr]:
    """``reading.scope`` of the sentence up to the quote's end, and the notes."""
    import polars as pl

    c = pl.col
    text = c("scope_text")
    scope = (
        pl.when(c("manufacturing")).then(pl.lit("规上制造业"))
        .when(c("industry")).then(pl.lit("规上工业"))
        .when(c("sector").is_not_null()).then(c("sector").str.strip_prefix("全市"))
        .when(text.str.contains("全市", literal=True)).then(pl.lit("全市"))
        .when(text.str.contains("制造业", literal=True)).then(pl.lit("制造业"))
        .when(text.str.contains("工业", literal=True)).then(pl.lit("工业"))
        .otherwise(pl.lit("全市"))
    )
    implied = pl.when(c("base_year").is_not_null() & ~c("stated")).then(
        pl.format("base year {} implied", c("base_year")))
    plan_end = pl.when(c("target_year").is_not_null() & (c("target_year") == c("last_year")) & (c("marker") != 3)).then(
        pl.lit("target year = plan end"))
    return {"scope": scope, "notes": pl.concat_str(implied, plan_end, separator="; ", ignore_nulls=True)}
