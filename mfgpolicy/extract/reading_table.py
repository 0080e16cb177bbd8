"""The reading of ``reading.py`` as columns: comparator, hedge, kind, years, quote of every target at once.

``read_all(b, frame)`` takes the proposed candidates of a batch with their context
(``rules_table.context_of``) and returns them with the columns of ``reading.Reading``. Each part
is the Python function's logic over the whole table: a regular expression on a window of text
(polars), or a binary search among the batch's indexes (numpy) for what the Python reads with
``finditer`` (year phrases, hedges, 每年, 年均, durations). A row whose reading the columns
cannot vouch for is marked ``fallback``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mfgpolicy.extract import scan
from mfgpolicy.extract.batch import UNKNOWN, Batch, take
from mfgpolicy.extract.reading import _HEDGES, _SUFFIX_CMP
from mfgpolicy.extract.regex import sub
from mfgpolicy.extract.rules_table import slices

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
    import polars as pl

    frame = _suffix_and_quote_end(b, frame.with_columns(unit_raw=pl.col("unit")))
    frame = frame.with_columns(quote_from=pl.col("quote_end").shift(1).over("doc").fill_null(-1))
    frame = _comparator(b, frame)
    frame = _time_markers(b, frame)
    frame = frame.with_columns(hedge=_hedge(b, frame), tier=b.tier(frame["start"].to_numpy()))
    frame = _quote_and_kind(b, frame)
    frame = _years(b, frame)
    return _indicator_and_scope(b, frame)


def _suffix_and_quote_end(b: Batch, frame: pl.DataFrame) -> pl.DataFrame:
    """``reading.suffix`` (the comparator word after the unit, and ``after``) and ``_quote_end``."""
    import numpy as np

    parts = frame["after_unit"].str.extract_groups(sub(r"^(\s?(?:\(含\))?)(及以上|以上|及以下|以下|以内|左右|上下)?"))
    parts = parts.struct.rename_fields(["lead", "word"]).struct.unnest()
    after = (frame["unit_end"] + parts["lead"].str.len_chars() + parts["word"].str.len_chars().fill_null(0)).to_numpy()
    hi, ce = frame["hi"].to_numpy(), frame["ce"].to_numpy()
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
    return frame.with_columns(suffix_word=parts["word"], after=after, quote_end=end)


def _comparator(b: Batch, frame: pl.DataFrame) -> pl.DataFrame:
    """``reading.comparator``, with ``has_subject``: words (not only hedges, time and adverbs) between
    the clause start and a comparator word. The hedges, time phrases and adverbs at the start of a
    clause never run into a comparator word, so their length is read once, to the number."""
    import polars as pl

    c = pl.col
    frame = frame.with_columns(
        opening=c("clause").str.extract(sub(rf"^({_LEAD}*{_ADVERB}*)"), 1).str.len_chars(),
        before6=c("before8").str.slice(-6),
    )
    prefix = pl.lit("=")
    for pattern, symbol in reversed(_PREFIX_CMP):
        word = c("before6").str.extract(rf"({pattern}\n?)$", 1).str.len_chars()  # the leftmost match
        pos = c("start") - word
        prefix = pl.when(word.is_not_null() & (c("opening") < pos - c("cs"))).then(pl.lit(symbol)).otherwise(prefix)
    more = c("c_e0").is_in([ord("多"), ord("余")]) & ~c("chinese")
    return frame.with_columns(
        comparator=pl.when(c("high").is_not_null()).then(pl.lit("range"))
        .when(c("c_ue0") == ord("级")).then(pl.lit("~"))
        .when(c("suffix_word").is_not_null()).then(c("suffix_word").replace_strict(_SUFFIX_CMP, default=None))
        .when(more).then(pl.lit(">=")).otherwise(prefix),
        fallback=c("fallback") | ((c("c_prev") == 10) & c("before6").str.contains(
            "(?:" + "|".join(p for p, _ in _PREFIX_CMP) + ")\n$")),
    )


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


def _time_markers(b: Batch, frame: pl.DataFrame) -> pl.DataFrame:
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
    return frame.with_columns(marker=marker, one_year=one_year,
                              target_year=pl.Series(target_year).replace(UNKNOWN, None))


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


def _quote_and_kind(b: Batch, frame: pl.DataFrame) -> pl.DataFrame:
    """The quote's start (after hedges and time words, no earlier than the last quote's end), the
    unit with 亩均/人均, and ``reading._kind``."""
    import polars as pl

    c = pl.col
    clause_q = pl.max_horizontal("cs", pl.min_horizontal("quote_from", "start"))
    frame = frame.with_columns(clause_q=clause_q)
    frame = frame.with_columns(
        quote_start=c("clause_q") + c("clause").str.slice(c("clause_q") - c("cs")).str.extract(
            sub(rf"^({_LEAD}+)"), 1).str.len_chars().fill_null(0))
    frame = frame.with_columns(words=c("clause").str.slice(c("quote_start") - c("cs")),
                               quote_text=slices(b.norm, frame["quote_start"].to_numpy(), frame["quote_end"].to_numpy()))
    measure = c("category").is_in(["money", "quantity"]) & ~c("unit").str.contains("/", literal=True)
    unit = (pl.when(measure & c("words").str.contains("亩均", literal=True)).then(c("unit") + "/亩")
            .when(measure & c("words").str.contains("人均", literal=True)).then(c("unit") + "/人").otherwise(c("unit")))
    frame = frame.with_columns(unit=unit)
    tail8 = c("words").str.slice(-8)
    down = pl.when(tail8.str.contains("下降|降低|减少|压减|削减")).then(pl.lit("decrease")).otherwise(pl.lit("increase"))
    pp = c("unit").str.ends_with("pp")
    reach_verb = c("words").str.extract_groups("(?s)^(.*?)(达到|达|突破|超过|总量|总数|有效数|保持|在役)")
    frame = frame.with_columns(reach_at=reach_verb.struct[0].str.len_chars(), reach_word=reach_verb.struct[1])
    subject = c("opening") < c("quote_start") + c("reach_at") - c("cs")
    reach = c("reach_word").is_not_null() & ((c("reach_word") != "突破") | subject)
    percent = (
        pl.when(c("words").str.contains("年均(?:增长|增速|提高|提升|增加|下降|降低|减少)?率?(?:达到|为|保持)?$"))
        .then(pl.struct(kind=pl.lit("annual_growth"), direction=down))
        .when(c("words").str.contains("(?:下降|降低|减少|压减|削减)(?:幅度)?(?:达到|为)?$"))
        .then(pl.struct(kind=pl.lit("change_over_period"), direction=pl.lit("decrease")))
        .when(c("words").str.contains("(?:增长|提高|提升|增加|增速)率?(?:达到|为)?$") | (pp & (down == "increase")))
        .then(pl.struct(kind=pl.lit("change_over_period"), direction=pl.lit("increase")))
        .when(pp).then(pl.struct(kind=pl.lit("change_over_period"), direction=pl.lit("decrease")))
        .otherwise(pl.struct(kind=pl.lit("level"), direction=pl.lit("reach")))
    )
    reach_dir = pl.when(reach).then(pl.lit("reach")).otherwise(pl.lit("increase"))
    amount_dir = (pl.when(c("quote_text").str.contains("达到|达|突破|总额|总量|规模|产值|保持"))
                  .then(pl.lit("reach")).otherwise(pl.lit("increase")))
    kind = (
        pl.when(c("category") == "percent").then(percent)
        .when((c("category") == "index") | c("unit").str.contains("/", literal=True))
        .then(pl.struct(kind=pl.lit("level"), direction=pl.lit("reach")))
        .when((c("category") == "count") & ~c("words").str.contains("年产(?:[^值]|$)"))
        .then(pl.struct(kind=pl.lit("count"), direction=reach_dir))
        .otherwise(pl.struct(kind=pl.lit("amount"), direction=amount_dir))
    )
    four_digit_year = _four_digits_then_year(b, frame)
    return frame.with_columns(kind.alias("_kd")).unnest("_kd").with_columns(
        fallback=c("fallback") | four_digit_year)


def _four_digits_then_year(b: Batch, frame: pl.DataFrame) -> pl.Series:
    """True where four digits and 年 stand at the number: the lead of its quote ("2020年,") could run
    past its start, which the columns do not read."""
    import numpy as np
    import polars as pl

    s, hi = frame["start"].to_numpy(), frame["hi"].to_numpy()
    digits = ((b.flags[np.minimum(s[:, None] + np.arange(4), b.flags.size - 1)] & scan.DIGIT) != 0).all(axis=1)
    return pl.Series(digits & (b.char(s + 4, s, hi) == ord("年")))


def _years(b: Batch, frame: pl.DataFrame) -> pl.DataFrame:
    """``per_year``, annual growth for an increase counted per year, and ``reading._base_year``."""
    import numpy as np
    import polars as pl

    c = pl.col
    one_year_plan = c("first_year").is_not_null() & (c("first_year") == c("last_year"))
    frame = frame.with_columns(
        per_year=(c("kind") == "annual_growth") | (c("marker") == 2)
        | ((c("kind") != "level") & (c("one_year") | one_year_plan)),
        one_year_plan=one_year_plan)
    frame = frame.with_columns(kind=pl.when((c("kind") == "change_over_period") & c("per_year")
                                            & (c("direction") == "increase")).then(pl.lit("annual_growth"))
                               .otherwise(c("kind")))
    s, cs = frame["start"].to_numpy(), frame["cs"].to_numpy()
    base = np.flatnonzero(b.year_role == 1)
    ends = b.year_end[base]
    i = np.searchsorted(ends, s, side="right") - 1
    stated = (i >= 0) & (take(ends, i, -1) >= cs)
    stated_year = np.where(stated, take(b.year[base], i, 0), UNKNOWN)
    implied = (
        pl.when(~(c("kind").is_in(["annual_growth", "change_over_period"]) | (c("direction") == "increase")))
        .then(None)
        .when(c("one_year") & c("target_year").is_not_null()).then(c("target_year") - 1)
        .when(c("one_year_plan") & c("target_year").is_not_null()).then(c("target_year") - 1)
        .when(c("first_year").is_not_null()).then(c("first_year") - 1)
        .otherwise(None)
    )
    frame = frame.with_columns(stated=stated, stated_year=pl.Series(stated_year).replace(UNKNOWN, None))
    return frame.with_columns(
        base_year=pl.when(c("stated")).then(c("stated_year")).otherwise(implied),
    ).with_columns(base_year_stated=pl.when(c("base_year").is_null()).then(None).otherwise(c("stated")))


def _indicator_and_scope(b: Batch, frame: pl.DataFrame) -> pl.DataFrame:
    """``reading.indicator_span``, ``scope`` and the notes."""
    import polars as pl

    c = pl.col
    verb = c("words").str.extract(f"^({_VERBS}+)", 1).str.len_chars().fill_null(0)
    frame = frame.with_columns(ind_start=c("quote_start") + verb)
    rest = c("words").str.slice(c("ind_start") - c("quote_start"))
    tail = rest.str.extract(sub(rf"({_TAILS}+)$"), 1).str.len_chars()  # the leftmost match, as ``search`` finds
    frame = frame.with_columns(ind_end=pl.when(tail.is_not_null()).then(c("start") - tail).otherwise(c("start")))
    frame = frame.with_columns(
        indicator_start=pl.when(c("ind_end") - c("ind_start") >= 2).then(c("ind_start"))
        .when(c("quote_end") - c("after") >= 2).then(c("after")).otherwise(c("ind_start")),
        indicator_end=pl.when(c("ind_end") - c("ind_start") >= 2).then(c("ind_end"))
        .when(c("quote_end") - c("after") >= 2).then(c("quote_end")).otherwise(c("start")),
        scope_text=slices(b.norm, frame["ss"].to_numpy(), frame["quote_end"].to_numpy()),
    )
    text = c("scope_text")
    maybe_sector = text.str.contains("达到", literal=True) & text.str.contains("行业|产业")
    sector = pl.when(maybe_sector).then(text).str.extract(_SECTOR, 1)
    scope = (
        pl.when(text.str.contains("规上制造业|规模以上制造业")).then(pl.lit("规上制造业"))
        .when(text.str.contains("规上工业|规模以上工业")).then(pl.lit("规上工业"))
        .when(maybe_sector & sector.is_not_null()).then(sector.str.strip_prefix("全市"))
        .when(text.str.contains("全市", literal=True)).then(pl.lit("全市"))
        .when(text.str.contains("制造业", literal=True)).then(pl.lit("制造业"))
        .when(text.str.contains("工业", literal=True)).then(pl.lit("工业"))
        .otherwise(pl.lit("全市"))
    )
    implied = pl.when(c("base_year").is_not_null() & ~c("stated")).then(
        pl.format("base year {} implied", c("base_year")))
    plan_end = pl.when(c("target_year").is_not_null() & (c("target_year") == c("last_year")) & (c("marker") != 3)).then(
        pl.lit("target year = plan end"))
    return frame.with_columns(scope=scope, notes=pl.concat_str(implied, plan_end, separator="; ", ignore_nulls=True))
