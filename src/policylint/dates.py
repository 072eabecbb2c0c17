"""Finding dates in policy text and deciding which one is the policy's effective date.

Month names, the markers of an effective date ("Effective", "Last updated", "Gældende fra") and
the usual order of numeric dates come from the language pack. A numeric date such as 03/04/2025
is *ambiguous* when both readings are valid calendar dates: 4 March in Europe, 3 April in the US.
Dotted numeric dates (01.03.2026) are read day-first, as everywhere they are used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .document import Block, Document, Section
from .packs import DatesVocabulary

_METADATA_KEYS = (
    "effective",
    "effective_date",
    "last_updated",
    "last-updated",
    "updated",
    "modified",
    "date",
)
_MARKER_WINDOW = 80
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # text offsets within the text that was searched
    end: int
    text: str
    date: dt.date | None  # None when ambiguous
    readings: tuple[dt.date, ...] = ()
    #: "December 2025": no day given (the date is the 1st); a policy so dated may be as new as
    #: the month's last day, which is what its age is measured from.
    month_only: bool = False

    @property
    def ambiguous(self) -> bool:
        return self.date is None and len(self.readings) > 1


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=32)
def _patterns(months: tuple[tuple[str, int], ...]) -> tuple[re.Pattern[str], ...]:
    names = "|".join(sorted((re.escape(m) for m, _ in months), key=len, reverse=True)) or "(?!x)x"
    month = rf"(?P<month>{names})\.?"
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th|\.)?"
    year = r"(?P<year>\d{4})"
    return (
        re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?![\d-])"),
        re.compile(rf"(?<!\w){month}\s+{day},?\s+{year}(?!\d)", re.IGNORECASE),
        re.compile(rf"(?<![\w.]){day}\s+(?:of\s+|de\s+)?{month},?\s+{year}(?!\d)", re.IGNORECASE),
        re.compile(rf"(?<!\w){month},?\s+{year}(?!\d)", re.IGNORECASE),
        re.compile(
            r"(?<![\d/-])(?<!\d\.)(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/-]|\.\d)"
        ),
    )


@lru_cache(maxsize=32)
def _month_needles(months: tuple[tuple[str, int], ...]) -> tuple[str, ...] | None:
    """The month names lowercased, without those containing a shorter one ("january" has "jan");
    None when one is not ASCII."""
    names = {m.lower() for m, _ in months}
    if not all(n.isascii() for n in names):
        return None
    return tuple(sorted(n for n in names if not any(o != n and o in n for o in names)))


def _may_name_month(text: str, months: tuple[tuple[str, int], ...]) -> bool:
    """False when ``text`` cannot hold a month name, so the three month patterns are skipped.

    Only decided for ASCII text and names, where the patterns' case-insensitive match is plain
    ASCII case folding and a substring test on the lowercased text is exact.
    """
    needles = _month_needles(months)
    if needles is None or not text.isascii():
        return True
    lowered = text.lower()
    return any(n in lowered for n in needles)


def find_dates(text: str, vocab: DatesVocabulary) -> list[DateMention]:
    """Every date written in ``text``, in order; overlapping forms are reported once (the longest)."""
    if _DIGIT.search(text) is None:
        return []  # every date form has digits: most paragraphs are skipped here
    months = vocab.months
    month_items = tuple(sorted(months.items()))
    iso, mdy, dmy, month_year, numeric = _patterns(month_items)
    named = _may_name_month(text, month_items)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(mention: DateMention) -> None:
        found.append(mention)
        taken.append((mention.start, mention.end))

    for match in iso.finditer(text) if "-" in text else ():
        date = _safe_date(int(match["year"]), int(match["mnum"]), int(match["day"]))
        if date:
            add(DateMention(match.start(), match.end(), match.group(0), date))
    for pattern in (mdy, dmy) if named else ():
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            month_no = months.get(match["month"].lower().rstrip("."))
            date = _safe_date(int(match["year"]), month_no, int(match["day"])) if month_no else None
            if date:
                add(DateMention(match.start(), match.end(), match.group(0), date))
    for match in month_year.finditer(text) if named else ():
        if not free(match.start(), match.end()):
            continue
        month_no = months.get(match["month"].lower().rstrip("."))
        # "May 2026" is a date; "may 2026" in running text is rare but lowercase "may" is usually the verb.
        if month_no and not match["month"][0].islower():
            date = _safe_date(int(match["year"]), month_no, 1)
            if date:
                add(DateMention(match.start(), match.end(), match.group(0), date, month_only=True))
    for match in numeric.finditer(text):
        if not free(match.start(), match.end()):
            continue
        a, b, sep = int(match["a"]), int(match["b"]), match["sep"]
        year_text = match["y"]
        if sep == "." and len(year_text) != 4:
            continue  # version numbers and section numbers, not dates
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        day_first = _safe_date(year, b, a)
        month_first = _safe_date(year, a, b)
        if sep == "." or vocab.numeric_order == "DMY":
            date = day_first
            add(DateMention(match.start(), match.end(), match.group(0), date))
        elif day_first and month_first and a != b:
            add(DateMention(match.start(), match.end(), match.group(0), None, (month_first, day_first)))
        else:
            date = month_first or day_first
            if date:
                add(DateMention(match.start(), match.end(), match.group(0), date))
    found.sort(key=lambda m: m.start)
    return found


@dataclass(frozen=True, slots=True)
class EffectiveDate:
    date: dt.date
    text: str
    start: int  # source offsets
    end: int
    section: Section | None
    month_only: bool = False

    @property
    def latest_day(self) -> dt.date:
        """The last day the date may stand for: the month's last day for "December 2025"."""
        if not self.month_only:
            return self.date
        following = (self.date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)


@lru_cache(maxsize=32)
def _marker_pattern(markers: tuple[str, ...]) -> re.Pattern[str] | None:
    if not markers:
        return None
    alts = sorted((re.escape(m).replace(r"\ ", r"\s+") for m in markers), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


def _blocks_in_order(document: Document) -> Iterator[tuple[Section, Block, bool]]:
    """(section, block, is_heading) in document order."""
    for section, block in document.headings_and_blocks():
        yield section, block, block is section.heading


def effective_dates(document: Document, vocab: DatesVocabulary) -> list[EffectiveDate]:
    """Every date the document presents as its effective / last-updated date, in order."""
    marker = _marker_pattern(tuple(vocab.effective_markers))
    results: list[EffectiveDate] = []
    for key in _METADATA_KEYS:
        value = document.metadata.get(key)
        if not value:
            continue
        for mention in find_dates(str(value), vocab):
            if mention.date is not None:
                pos = document.source.find(str(value))
                start = pos + mention.start if pos != -1 else 0
                results.append(
                    EffectiveDate(
                        mention.date, mention.text, start, start + len(mention.text), None, mention.month_only
                    )
                )
                break
        if results:
            break
    if marker is None:
        return results
    heading_marked = False
    prose_seen = 0
    for section, block, is_heading in _blocks_in_order(document):
        if not is_heading:
            prose_seen += 1
        mentions = find_dates(block.text, vocab)
        # Marker positions only matter beside a date (and, for a heading, whether there is one):
        # most blocks have no date, so their markers are not collected.
        marks = [m.end() for m in marker.finditer(block.text)] if mentions else []
        if is_heading:
            heading_marked = bool(marks) if mentions else marker.search(block.text) is not None
        for mention in mentions:
            if mention.date is None and not mention.ambiguous:
                continue
            # An ambiguous effective date is still the effective date (dates.ambiguous-numeric
            # reports it); staleness is measured from its earlier reading, to be safe.
            when = mention.date if mention.date is not None else min(mention.readings)
            near = any(0 <= mention.start - end <= _MARKER_WINDOW for end in marks)
            in_marked_section = heading_marked and not is_heading and section.heading is not None
            # A date standing alone right under the title ("September 9, 2020") is the policy's date.
            bare_at_top = not is_heading and prose_seen <= 2 and block.text.strip(" .*_") == mention.text
            if near or bare_at_top or (in_marked_section and not marks):
                start, end = block.source_range(mention.start, mention.end)
                results.append(EffectiveDate(when, mention.text, start, end, section, mention.month_only))
        if not is_heading:
            heading_marked = heading_marked and not block.text.strip()
    return results


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from ``earlier`` to ``later`` (negative when ``earlier`` is in the future)."""
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    if later.day < earlier.day:
        months -= 1
    return months
