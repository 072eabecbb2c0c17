"""Bytes to text: encodings, byte-order marks, binary files and size limits.

Policies arrive as UTF-8 from editors, as UTF-16 from Word exports and as Windows-1252 from old
websites. Reading must never guess silently: the encoding assumed is reported for every file that
is not plain UTF-8, and a file that is not text is skipped with a reason.

The order of the tests matters and is chosen so that the common cases are cheap and exact:

1. a byte-order mark decides (UTF-8, UTF-16, UTF-32), since it was written on purpose;
2. a NUL byte means binary, unless the file is UTF-16 without a BOM (every other byte NUL);
3. valid UTF-8 is UTF-8: legacy text almost never happens to be valid UTF-8;
4. *mostly* valid UTF-8 (a stray Windows-1252 quote pasted into a UTF-8 file) stays UTF-8
   with the few bad bytes replaced, because reading it as a legacy encoding would garble every
   other accented letter in the file;
5. otherwise charset-normalizer guesses, preferring Windows-1252 whenever it reads the text
   just as well: its guesses tie on short texts (French comes back as cp1250, one English
   line as the Ukrainian cp1125), and Windows-1252 is by far the likeliest legacy encoding of a
   web page or Office export (it is what browsers assume for unlabelled pages and ``latin-1``).

Only regular files are read, and never more than ``max_bytes + 1`` bytes: a FIFO named
``policy.md`` would block forever and a file that grows while it is read must not exhaust memory.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .replay import note_file

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: the UTF-32 LE mark starts with UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Bytes handed to the encoding detector: enough to decide, bounded for 50 MB files.
DETECT_SAMPLE_BYTES = 200_000
#: Encodings no policy file is written in today (Mac, DOS and EBCDIC code pages) but that the
#: detector may rank first on mostly-ASCII text: charset-normalizer 3.4 read an English page
#: with "café" as mac-latin2 (a higher "coherence" from one letter), 3.5 as cp1250.
_IMPLAUSIBLE = (
    "mac_cyrillic", "mac_greek", "mac_iceland", "mac_latin2", "mac_roman", "mac_turkish",
    "cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140",
    "cp437", "cp720", "cp737", "cp775", "cp850", "cp852", "cp855", "cp856", "cp857", "cp858",
    "cp860", "cp861", "cp862", "cp863", "cp864", "cp865", "cp866", "cp869", "cp1006", "cp1125",
    "hp_roman8", "kz1048", "ptcp154",
)  # fmt: skip
#: How much more "mess" Windows-1252 may show than the detector's best guess and still win.
_CHAOS_SLACK = 0.03
#: Characters looked at for control characters (binary data that contains no NUL byte).
_CONTROL_SAMPLE = 8_192
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1b")
#: The control characters that mark binary data: C0 other than _TEXT_CONTROLS, and DEL.
_BINARY_CONTROLS = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in [*range(32), 127] if chr(c) not in _TEXT_CONTROLS) + "]"
)
#: Formats people export policies to by mistake, recognised by their first bytes.
_SIGNATURES = (
    (b"%PDF-", "a PDF document; export the policy as Markdown, HTML or plain text"),
    (
        b"PK\x03\x04",
        "a ZIP archive (a .docx or .odt file?); export the policy as Markdown, HTML or plain text",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "a Microsoft Office (.doc) file; export the policy as Markdown, HTML or plain text",
    ),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
_FRIENDLY_NAMES = {f"cp{n}": f"windows-{n}" for n in range(1250, 1259)}


class ReadError(Exception):
    """A file that cannot be checked; the message says why, for the finding that reports it."""


def display_path(path: str | os.PathLike[str]) -> str:
    """How a path is shown in findings and reports: as it is, except the bytes of a file name
    that are not UTF-8. Python keeps those as lone surrogates, which no UTF-8 output, JSON
    serialiser or SARIF viewer accepts (every reporter but JUnit crashed on one), so each is
    shown as ``%XX``, as in a URI. Not a backslash escape: reporters and baselines turn
    backslashes into forward slashes (Windows separators), which would make ``\\xe9`` a folder."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join(_escape_surrogate(char) for char in text)
    return text


def _escape_surrogate(char: str) -> str:
    if not "\ud800" <= char <= "\udfff":
        return char
    if "\udc80" <= char <= "\udcff":
        return f"%{ord(char) - 0xDC00:02X}"  # a byte of the name that is not UTF-8 (surrogateescape)
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))  # Windows


@dataclass(frozen=True, slots=True)
class SourceText:
    text: str
    #: The encoding assumed, as reported to users: ``utf-8``, ``utf-16``, ``windows-1252``…
    encoding: str


def _label(codec: str) -> str:
    """A codec's name as editors show it: ``windows-1252``, ``iso-8859-2``, ``utf-16-le``."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return codec
    if name.startswith("iso8859-"):
        return "iso-8859-" + name.split("-", 1)[1]
    return _FRIENDLY_NAMES.get(name, name)


def _binary_reason(data: bytes) -> str | None:
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return f"is {what}; not checked"
    return None


def _utf16_without_bom(data: bytes) -> SourceText | None:
    """UTF-16 text without a byte-order mark: ASCII-range characters make every other byte NUL."""
    sample = data[: _CONTROL_SAMPLE * 2]
    if len(data) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    pairs = len(sample) // 2
    for codec, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls.count(0) * 10 >= pairs * 4 and other.count(0) == 0:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            if "\x00" in text or _control_share(text) > 0:
                return None
            return SourceText(text, codec)
    return None


def _control_share(text: str) -> float:
    """Share of control characters (other than whitespace and ESC) at the start of ``text``."""
    sample = text[:_CONTROL_SAMPLE]
    if not sample:
        return 0.0
    controls = len(_BINARY_CONTROLS.findall(sample))  # a generator over 8k characters took 0.5 ms
    return controls / len(sample)


def _mostly_utf8(data: bytes) -> SourceText | None:
    """UTF-8 with a few invalid bytes (at most one in ten non-ASCII characters), else None."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    good = non_ascii - bad
    if bad <= 0 or good < bad * 10:
        return None
    noun = "byte" if bad == 1 else "bytes"
    return SourceText(text, f"utf-8 ({bad:,} invalid {noun} replaced by U+FFFD)")


def _detect(data: bytes) -> str:
    """The legacy encoding of ``data``, preferring Windows-1252 when it reads as well as the best.

    charset-normalizer's ranking ties on many texts (an English page with one "é" reads equally
    well as cp1250, cp775 or mac-latin2) and which of the tied encodings comes first is not
    stable across machines. So Windows-1252 is scored on its own and wins whenever it is no
    more chaotic (within a little: ``õ`` and ``ä`` decoded right still count as "mess" at times)
    and no less coherent than the best guess. A Croatian cp1250 text stays cp1250: read as
    Windows-1252 its "č" and "ć" become "è" and "æ", which is less coherent.
    """
    sample = data[:DETECT_SAMPLE_BYTES]
    try:
        sample.decode("cp1252")
        western = True
    except UnicodeDecodeError:
        western = False
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return "cp1252"
    best = from_bytes(sample, cp_exclusion=list(_IMPLAUSIBLE)).best()
    if best is None:
        return "cp1252"
    if not western or "cp1252" in (best.encoding, *best.could_be_from_charset):
        return "cp1252" if western else str(best.encoding)
    own = from_bytes(sample, cp_isolation=["cp1252"]).best()
    if own is not None and own.chaos <= best.chaos + _CHAOS_SLACK and own.coherence >= best.coherence - 1e-9:
        return "cp1252"
    return str(best.encoding)


def decode(data: bytes) -> SourceText:
    """Decode file bytes: BOMs first, then UTF-8, then a detected legacy encoding.

    Raises :class:`ReadError` for binary data, with a reason a user understands.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return SourceText(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc}"
                ) from None
    signature = _binary_reason(data)
    if signature is not None:
        raise ReadError(signature)
    nul = data.find(b"\x00")
    if nul != -1:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise ReadError(f"looks like a binary file (a NUL byte at byte {nul:,}); not checked")
    try:
        source = SourceText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        source = _mostly_utf8(data) or _legacy(data)
    share = _control_share(source.text)
    if share > 0.1:
        raise ReadError(f"looks like a binary file ({share:.0%} control characters); not checked")
    return source


def _legacy(data: bytes) -> SourceText:
    guess = _detect(data)
    for codec in dict.fromkeys((guess, "cp1252")):
        try:
            return SourceText(data.decode(codec), _label(codec))
        except (UnicodeDecodeError, LookupError):
            continue
    return SourceText(data.decode("latin-1"), "iso-8859-1")  # every byte is a character


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "a path that cannot be read"


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or :class:`ReadError` saying why not.

    Anything that hashes or shows a file (the result cache, the text reporter) should read it
    through here too: ``Path.read_bytes`` blocks forever on a FIFO and reads files of any size.
    A run being recorded for replay notes what it read (the bytes, or that it could not).
    """
    try:
        data = _read_bytes(path, max_bytes)
    except ReadError:
        note_file(path)
        raise
    note_file(path, data)
    return data


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise ReadError(f"is a broken symbolic link (to {_link_target(path)})") from None
        raise ReadError("does not exist") from None
    except PermissionError:
        raise ReadError("cannot be read: permission denied") from None
    except OSError as exc:  # a symlink loop, a name too long…
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError("is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError("is not a regular file (a FIFO, socket or device); not checked")
    too_big = f"above the limit of {max_bytes:,} bytes (`max_file_bytes` in the config)"
    if info.st_size > max_bytes:
        raise ReadError(f"is {info.st_size:,} bytes, {too_big}")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise ReadError("cannot be read: permission denied") from None
    except FileNotFoundError:
        raise ReadError("does not exist (it was removed while policylint ran)") from None
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise ReadError(f"grew while it was read and is now {too_big}")
    return data


def read_file(path: Path, max_bytes: int) -> SourceText:
    """Read and decode one file, or raise :class:`ReadError` with a reason a user understands."""
    return decode(read_bytes(path, max_bytes))
