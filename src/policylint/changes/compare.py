"""Material changes between two versions' facts, each with its direction for the customer.

Every comparison is of like with like: a return window with a return window (the commitment
class the period extractor gave it), a phone number with phone numbers, a right with the same
right. A period that changed is paired with the old statement of its class whose sentence it most
resembles, so "30 days" → "14 days" in a rewritten sentence is still one shortened window, and a
policy that lists several windows (sale items, gift cards) does not pair them crosswise.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from ..document import Document, Section
from ..extract.channels import Channel
from ..extract.phrases import sentence_spans
from .cosmetic import Edit, Sentence, edits, normalise, overlap, sentences, title_key, tokens
from .extract import GROUPS, Facts, Spot, spot
from .model import Change, ChangeType, Direction, Place

#: Period classes where a longer period is better for the customer, and where a shorter one is.
LONGER_IS_BETTER = frozenset({"return-window", "withdrawal", "notice", "trial"})
SHORTER_IS_BETTER = frozenset({"refund-timing", "response", "retention"})
_PAIR_RATIO = 0.45


def place(document: Document, where: Spot) -> Place:
    """The location of a spot in its version's file."""
    start, end = where.block.source_range(where.start, where.end)
    loc = document.location(start, end)
    section = where.section.title if where.section.level > 0 else None
    end_column = loc.end_column if (loc.end_line, loc.end_column) > (loc.line, loc.column) else loc.column + 1
    return Place(
        path=document.path,
        line=loc.line,
        column=loc.column,
        end_line=loc.end_line,
        end_column=end_column,
        section=section,
    )


class _Builder:
    """Collects changes with their places in both versions."""

    def __init__(self, old: Facts, new: Facts) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.quoted: set[str] = set()

    def add(
        self,
        type_: ChangeType,
        topic: str,
        direction: Direction,
        summary: str,
        before: Spot | None,
        after: Spot | None,
    ) -> None:
        self.changes.append(
            Change(
                type=type_,
                topic=topic,
                direction=direction,
                summary=summary,
                old=place(self.old.document, before) if before is not None else None,
                new=place(self.new.document, after) if after is not None else None,
                before=before.sentence if before is not None else None,
                after=after.sentence if after is not None else None,
            )
        )
        self.quoted.update(s.sentence for s in (before, after) if s is not None)


def compare(old: Facts, new: Facts) -> tuple[list[Change], bool]:
    """The material changes from ``old`` to ``new``, and whether the versions differ only cosmetically."""
    builder = _Builder(old, new)
    old_sentences, new_sentences = sentences(old.document), sentences(new.document)
    old_keys, new_keys = {s.key for s in old_sentences}, {s.key for s in new_sentences}
    _sections(builder, old_keys, new_keys)
    _required_parts(builder)
    _periods(builder)
    _channels(builder, old_keys, new_keys)
    _items(builder)
    _jurisdictions(builder)
    _fees(builder)
    found, _ = edits(old_sentences, new_sentences)
    _wording(builder, found)
    cosmetic = not builder.changes and old.document.source != new.document.source
    return builder.changes, cosmetic


# ------------------------------------------------------------------------------------------
# sections and required parts
# ------------------------------------------------------------------------------------------


def _sections(builder: _Builder, old_keys: set[str], new_keys: set[str]) -> None:
    """Sections whose title is new or gone and whose text is mostly new or gone too: a heading
    added over text that was there before, or a section renamed, is not a new section."""
    old = {title_key(s.title): s for s in builder.old.document.sections()}
    new = {title_key(s.title): s for s in builder.new.document.sections()}
    for key, section in new.items():
        if key not in old and _mostly_outside(section, old_keys):
            where = spot(section.heading, section, 0, len(section.heading.text)) if section.heading else None
            label = builder.new.pack.kind_label(section.kind)
            summary = f"New section “{section.title}” ({label})."
            builder.add("section-added", section.kind, "neutral", summary, None, where)
    for key, section in old.items():
        if key not in new and _mostly_outside(section, new_keys):
            where = spot(section.heading, section, 0, len(section.heading.text)) if section.heading else None
            label = builder.old.pack.kind_label(section.kind)
            summary = f"Section “{section.title}” ({label}) was removed."
            builder.add("section-removed", section.kind, "neutral", summary, where, None)


def _mostly_outside(section: Section, keys: set[str]) -> bool:
    """True when the section has some text and most of its sentences are not among ``keys``."""
    own = [normalise(b.text[s0:s1]) for b in section.blocks for s0, s1 in sentence_spans(b.text)]
    own = [k for k in own if k]
    if sum(len(k.split()) for k in own) < 4:
        return False
    return sum(k not in keys for k in own) > len(own) / 2


def _required_parts(builder: _Builder) -> None:
    """A part the new version's profile requires that the old version had and the new one lacks."""
    for part in builder.new.required:
        if part in builder.old.parts and part not in builder.new.parts:
            evidence = builder.old.parts[part]
            section = evidence.section
            before = (
                spot(section.heading, section, 0, len(section.heading.text))
                if section is not None and section.heading is not None
                else None
            )
            label = builder.new.pack.kind_label(part)
            builder.add(
                "required-part",
                part,
                "less-favourable",
                f"A part the {builder.new.profile} profile requires is gone: {label}.",
                before,
                None,
            )


# ------------------------------------------------------------------------------------------
# periods
# ------------------------------------------------------------------------------------------


def _periods(builder: _Builder) -> None:
    """Periods of one commitment class whose length changed, paired by their sentences."""

    def usable(facts: Facts) -> list[tuple[str, float, bool, Spot]]:
        return [
            (c.cls, c.period.hours, c.period.business, spot(c.block, c.section, c.period.start, c.period.end))
            for c in facts.commitments
            if c.cls in LONGER_IS_BETTER | SHORTER_IS_BETTER and not c.qualified
        ]

    old, new = usable(builder.old), usable(builder.new)
    for cls in sorted({c for c, *_ in new} & {c for c, *_ in old}):
        old_lengths = {(h, b) for c, h, b, _ in old if c == cls}
        new_lengths = {(h, b) for c, h, b, _ in new if c == cls}
        gone = [(h, b, s) for c, h, b, s in old if c == cls and (h, b) not in new_lengths]
        for c, hours, business, after in new:
            if c != cls or (hours, business) in old_lengths:
                continue
            partner = _closest(after.sentence, gone)
            if partner is None:
                continue
            gone.remove(partner)
            old_hours, _, before = partner
            _period_change(builder, cls, old_hours, hours, before, after)


def _closest(
    sentence: str, candidates: Iterable[tuple[float, bool, Spot]]
) -> tuple[float, bool, Spot] | None:
    best, best_score = None, _PAIR_RATIO
    words = tokens(sentence)
    for candidate in candidates:
        score = overlap(tokens(candidate[2].sentence), words)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _period_change(
    builder: _Builder, cls: str, old_hours: float, new_hours: float, before: Spot, after: Spot
) -> None:
    longer = new_hours > old_hours
    good = longer if cls in LONGER_IS_BETTER else not longer
    direction: Direction = "more-favourable" if good else "less-favourable"
    old_text = before.block.text[before.start : before.end]
    new_text = after.block.text[after.start : after.end]
    verb = "lengthened" if longer else "shortened"
    label = builder.new.pack.labels.periods.get(cls, cls.replace("-", " "))
    summary = f"{label[:1].upper()}{label[1:]} {verb}: {old_text} → {new_text}."
    builder.add("period", cls, direction, summary, before, after)


# ------------------------------------------------------------------------------------------
# channels, items, jurisdictions, fees
# ------------------------------------------------------------------------------------------


def _channel_key(channel: Channel) -> tuple[str, str]:
    """What makes two channels the same: a web channel is its site (a help centre linked from
    fifty places is one channel, and its articles' tracking parameters change with every export)."""
    value = channel.value.lower().rstrip("/")
    if channel.kind == "web" and "." in value:
        host = urlsplit(value if "//" in value else "//" + value).hostname or value
        value = host.removeprefix("www.")
    elif channel.kind == "postal":
        value = " ".join(value.replace(",", " ").split())
    return channel.kind, value


def _channels(builder: _Builder, old_keys: set[str], new_keys: set[str]) -> None:
    """Ways to reach a person (email, phone, post, web form, chat) added or removed.

    A channel whose sentence is still there in the other version is a link target or a
    formatting change (cosmetic), and a removal with an addition of the same kind in the same
    change is a replacement (a new address, a form that moved to another site): neutral."""
    old = {_channel_key(c): c for c in builder.old.channels}
    new = {_channel_key(c): c for c in builder.new.channels}
    came = [c for k, c in new.items() if k not in old and not _sentence_in(c, old_keys)]
    gone = [c for k, c in old.items() if k not in new and not _sentence_in(c, new_keys)]
    came = [c for c in came if not _glued(c, old)]
    gone = [c for c in gone if not _glued(c, new)]
    for kind in dict.fromkeys(c.kind for c in (*came, *gone)):
        added = [c for c in came if c.kind == kind]
        removed = [c for c in gone if c.kind == kind]
        for before, after in zip(removed, added, strict=False):
            summary = f"{kind.capitalize()} channel changed: {before.value} → {after.value}."
            builder.add("channel", kind, "neutral", summary, _channel_spot(before), _channel_spot(after))
        for channel in added[len(removed) :]:
            summary = f"New {kind} channel: {channel.value}."
            builder.add("channel", kind, "more-favourable", summary, None, _channel_spot(channel))
        for channel in removed[len(added) :]:
            summary = f"{kind.capitalize()} channel removed: {channel.value}."
            builder.add("channel", kind, "less-favourable", summary, _channel_spot(channel), None)


def _glued(channel: Channel, other: dict[tuple[str, str], Channel]) -> bool:
    """An email address the other version has with a postcode glued to its front by the text
    extraction ("94107copyright@example.com"): the same address."""
    if channel.kind != "email":
        return False
    value = channel.value.lower()
    return any(k == "email" and (v.endswith(value) or value.endswith(v)) for k, v in other)


def _channel_spot(channel: Channel) -> Spot:
    return spot(channel.block, channel.section, channel.start, channel.end)


def _sentence_in(channel: Channel, keys: set[str]) -> bool:
    """True when the sentence a channel stands in is, normalised, also in the other version."""
    s0, s1 = next(
        ((a, b) for a, b in sentence_spans(channel.block.text) if a <= channel.start < b),
        (0, len(channel.block.text)),
    )
    key = normalise(channel.block.text[s0:s1])
    return len(key.split()) >= 3 and key in keys


_ITEM_TYPES: dict[str, ChangeType] = {
    "rights": "right",
    "recipients": "recipient",
    "data": "data",
    "dispute": "dispute",
}
_ITEM_WORDS = {
    "rights": ("right stated", "right no longer stated"),
    "recipients": ("new recipient of personal data", "recipient no longer named"),
    "data": ("new data collected or used", "data no longer named"),
    "dispute": ("clause introduced", "clause removed"),
}


def _items(builder: _Builder) -> None:
    """Rights, recipients, data and dispute clauses that appear or disappear."""
    old, new = builder.old.items, builder.new.items
    for (group, item), where in new.items():
        if (group, item) not in old:
            up, _ = GROUPS[group]
            words = _ITEM_WORDS[group][0]
            builder.add(
                _ITEM_TYPES[group], item, up, f"{item.replace('-', ' ').capitalize()}: {words}.", None, where
            )
    for (group, item), where in old.items():
        if (group, item) not in new:
            _, down = GROUPS[group]
            words = _ITEM_WORDS[group][1]
            builder.add(
                _ITEM_TYPES[group],
                item,
                down,
                f"{item.replace('-', ' ').capitalize()}: {words}.",
                where,
                None,
            )


def _jurisdictions(builder: _Builder) -> None:
    """Governing law or venue that changed (both versions name one, and not the same)."""
    for topic in ("governing-law", "venue"):
        old = {k[1]: s for k, s in builder.old.jurisdictions.items() if k[0] == topic}
        new = {k[1]: s for k, s in builder.new.jurisdictions.items() if k[0] == topic}
        if not old or not new or set(old) & set(new):
            continue
        before, after = next(iter(old.values())), next(iter(new.values()))
        name = "Governing law" if topic == "governing-law" else "Venue"
        summary = f"{name} changed: {next(iter(old))} → {next(iter(new))}."
        builder.add("governing-law", topic, "neutral", summary, before, after)


def _fees(builder: _Builder) -> None:
    """Fee amounts that appear, disappear or change."""
    old_values = {v for _, v, _ in builder.old.fees}
    new_values = {v for _, v, _ in builder.new.fees}
    gone = [(v, False, s) for _, v, s in builder.old.fees if v not in new_values]
    for text, value, after in builder.new.fees:
        if value in old_values:
            continue
        partner = _closest(after.sentence, gone)
        if partner is None:
            builder.add("fee", "fee", "less-favourable", f"New fee or charge: {text}.", None, after)
            continue
        gone.remove(partner)
        old_value, _, before = partner
        up = value > old_value
        direction: Direction = "less-favourable" if up else "more-favourable"
        old_text = before.block.text[before.start : before.end]
        builder.add(
            "fee",
            "fee",
            direction,
            f"Fee {'raised' if up else 'lowered'}: {old_text} → {text}.",
            before,
            after,
        )
    for _, _, before in gone:
        builder.add(
            "fee",
            "fee",
            "more-favourable",
            f"Fee or charge removed: {before.block.text[before.start : before.end]}.",
            before,
            None,
        )


# ------------------------------------------------------------------------------------------
# wording
# ------------------------------------------------------------------------------------------


def _wording(builder: _Builder, found: list[Edit]) -> None:
    """Rewritten, added or removed sentences not already explained, one change per section."""
    by_section: dict[tuple[str, str], list[Edit]] = {}
    dates = {e.text for e in (*builder.old.effective, *builder.new.effective)}
    for edit in found:
        sentence = edit.new or edit.old
        assert sentence is not None
        if sentence.spot.sentence in builder.quoted or _dateline(sentence, dates):
            continue
        side = "new" if edit.new is not None else "old"
        by_section.setdefault((side, sentence.spot.section.title), []).append(edit)
    for (side, title), group in by_section.items():
        first = group[0]
        where = f"“{title}”" if title else "the introduction"
        count = len(group)
        noun = "sentence" if count == 1 else "sentences"
        verb = "rewritten or added" if side == "new" else "removed"
        builder.add(
            "wording",
            "text",
            "neutral",
            f"{count} {noun} {verb} in {where}.",
            _spot(first.old),
            _spot(first.new),
        )


def _dateline(sentence: Sentence, dates: set[str]) -> bool:
    """A short sentence that states the effective or last-updated date: a new date is what a
    change should bring (change.date-not-updated checks it), not a change of its own."""
    return sentence.words <= 12 and any(d in sentence.spot.sentence for d in dates)


def _spot(sentence: Sentence | None) -> Spot | None:
    return sentence.spot if sentence is not None else None
