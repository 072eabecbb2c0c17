"""Contact channels of a document: each block's channels with their section, and links.

:func:`extract_channels` runs the string extractor (:mod:`policylint.extract.channel_text`) on
every heading and prose block, so each channel knows where it stands. Link targets that are not
in a block's text (``[email us](mailto:help@example.com)`` in Markdown, ``<a href="tel:…">`` in
HTML) are read from the block's source, so a channel behind a link still counts; it is reported
at the link's visible text. The contact rules, ``consistent-contacts`` and change review share
these lists.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..document import Block, Document, Section
from .channel_text import (
    _EMAIL,
    _GROUPS,
    ChannelKind,
    ChannelVocabulary,
    _Compiled,
    _compiled_for,
    _emails,
    _invited,
    _is_contact_url,
    _urls,
    find_channels,
)


@dataclass(frozen=True, slots=True)
class Channel:
    """A channel found in a document: the block and section it stands in, text offsets in the block.

    ``hidden`` channels come from a link target (``mailto:``, ``tel:``, ``href``); ``start``/``end``
    then cover the link's visible text and ``value`` holds the target.
    """

    kind: ChannelKind
    text: str
    value: str
    block: Block
    section: Section
    start: int
    end: int
    hidden: bool = False

    def source_range(self) -> tuple[int, int]:
        """Source offsets (start, exclusive end) in the original file."""
        return self.block.source_range(self.start, self.end)


# Link targets that a block's text does not show.
# Any target but an anchor on the same page: "{{ site.email_support }}" (a site template) is a
# link to somewhere customers can write, even if policylint cannot read where.
_MD_TARGET = re.compile(r"\]\(\s*<?(?P<target>(?!#)[^)\s>]+)")
_HTML_HREF = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*(?P<q>[\"'])(?P<target>(?!#|javascript:)[^\"']+)(?P=q)[^>]*>",
    re.IGNORECASE,
)
_CLOSE_A = re.compile(r"</a\b", re.IGNORECASE)
_LEADING_TAGS = re.compile(r"(?:<[^<>]*>\s*|\[\s*)+\Z")


def _source_starts(block: Block) -> list[int]:
    return block.smap.starts(len(block.text))


def _text_span(starts: list[int], s0: int, s1: int) -> tuple[int, int]:
    """Text offsets of the block characters whose source position lies in ``[s0, s1)``."""
    return bisect_left(starts, s0), bisect_left(starts, s1)


def _hidden_targets(
    document: Document, block: Block, compiled: _Compiled
) -> Iterator[tuple[ChannelKind, str, int, int]]:
    """(kind, value, text start, text end) of link targets behind the block's visible text."""
    if not block.text:
        return
    source = document.source
    lo, hi = block.source_start, block.source_end
    before = source[max(0, lo - 400) : lo].rstrip()
    # Only text right after a tag or "[" can be a link's text; the anchored search is costly.
    lead = _LEADING_TAGS.search(source, max(0, lo - 400), lo) if before.endswith((">", "[")) else None
    if lead is not None:
        lo = lead.start()
    hi = min(len(source), hi + 400)
    window = source[lo:hi]
    if "](" not in window and "href" not in window.lower():
        return
    starts: list[int] | None = None
    for match in _MD_TARGET.finditer(window):
        close = lo + match.start()
        if close > block.source_end + 3:
            break
        depth, open_at = 0, -1
        for i in range(close - 1, max(lo, close - 400) - 1, -1):
            ch = source[i]
            if ch == "]":
                depth += 1
            elif ch == "[":
                if depth == 0:
                    open_at = i
                    break
                depth -= 1
        if open_at < 0:
            continue
        starts = starts if starts is not None else _source_starts(block)
        a, b = _text_span(starts, open_at + 1, close)
        if a < b:
            yield from _classify_target(match.group("target"), a, b, block.text, compiled)
    for match in _HTML_HREF.finditer(window):
        tag_end = lo + match.end()
        if tag_end > block.source_end:
            break
        close_tag = _CLOSE_A.search(source, tag_end)
        closing = close_tag.start() if close_tag is not None else -1
        starts = starts if starts is not None else _source_starts(block)
        a, b = _text_span(starts, tag_end, closing if closing != -1 else block.source_end)
        if a < b:
            yield from _classify_target(match.group("target"), a, b, block.text, compiled)


def _classify_target(
    target: str, start: int, end: int, text: str, compiled: _Compiled
) -> Iterator[tuple[ChannelKind, str, int, int]]:
    lowered = target.lower()
    if lowered.startswith("mailto:"):
        address = target[len("mailto:") :].split("?", 1)[0]
        if _EMAIL.fullmatch(address):
            yield "email", address.lower(), start, end
    elif lowered.startswith("tel:"):
        digits = "".join(_GROUPS.findall(target))
        if 7 <= len(digits) <= 15:
            yield "phone", ("+" if "+" in target else "") + digits, start, end
    else:
        kind: ChannelKind = (
            "web" if _is_contact_url(target, compiled) or _invited(text, start, compiled, end) else "url"
        )
        yield kind, target, start, end


def extract_channels(document: Document, vocab: ChannelVocabulary) -> list[Channel]:
    """Every contact channel of a document (headings included), in document order."""
    compiled = _compiled_for(vocab)
    channels: list[Channel] = []
    for section, block in document.headings_and_blocks():
        visible = find_channels(block.text, vocab)
        for c in visible:
            channels.append(Channel(c.kind, c.text, c.value, block, section, c.start, c.end))
        for kind, value, start, end in _hidden_targets(document, block, compiled):
            if any(
                v.kind == kind and (v.value == value.lower() or (v.start < end and start < v.end))
                for v in visible
            ):
                continue
            channels.append(
                Channel(kind, block.text[start:end], value, block, section, start, end, hidden=True)
            )
    return channels


#: The vocabulary :func:`extract_emails` compiles: an address is found the same with any.
_NO_VOCABULARY = ChannelVocabulary()


def extract_emails(document: Document) -> list[Channel]:
    """The email channels of :func:`extract_channels`, without looking for any other kind.

    Which text is an email address does not depend on the vocabulary (only URLs take precedence
    over an address, and a hidden one comes from a ``mailto:`` target), so this is the same list
    for every vocabulary, found at a fraction of the cost: ``consistent-contacts`` needs no more.
    """
    mailto = "mailto:" in document.source.lower()
    compiled = _compiled_for(_NO_VOCABULARY)
    channels: list[Channel] = []
    for section, block in document.headings_and_blocks():
        text = block.text
        visible = _emails(text, [(s, e) for s, e, _ in _urls(text)]) if "@" in text else []
        for c in visible:
            channels.append(Channel(c.kind, c.text, c.value, block, section, c.start, c.end))
        if not mailto:
            continue  # a hidden address is a mailto: target, which the source would show
        for kind, value, start, end in _hidden_targets(document, block, compiled):
            if kind != "email" or any(
                v.value == value.lower() or (v.start < end and start < v.end) for v in visible
            ):
                continue
            channels.append(Channel(kind, text[start:end], value, block, section, start, end, hidden=True))
    return channels


def channels_in(section: Section, channels: Sequence[Channel]) -> list[Channel]:
    """Channels that stand in ``section`` or any of its subsections."""
    inside = {id(s) for s in section.walk()}
    return [c for c in channels if id(c.section) in inside]
