"""Read the plan text and strip Word-export noise while keeping 1-based line numbers.

The Word export carries ``[bookmark: _Toc…]`` markers, tracked-change comments
(``\\tComment by NAME: …`` appended to a paragraph), doubled full stops, a stray footnote
marker split over three lines ("(", "1", ")") and padded header cells ("指　标"). They are
removed here, once, and every removal is recorded as a :class:`Noise` event so that the
audit can report it. Lines are never joined or dropped: line *n* of
:attr:`PlanText.lines` is line *n* of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
COMMENT = re.compile(r"\tComment by [^:：]*[:：]\s*(?P<text>.*)$")
DOUBLE_PUNCT = re.compile(r"([。，；：！？、])\1+")
FOOTNOTE = (re.compile(r"^\s*[(（]\s*$"), re.compile(r"^\s*\d+\s*$"), re.compile(r"^\s*[)）]\s*$"))
HEADER_WORD = re.compile(r"^(\t)([\u4e00-\u9fff])[\s\u3000]+([\u4e00-\u9fff])$")


@dataclass(frozen=True)
class Noise:
    """One removed piece of typographic noise: ``kind``, 1-based ``line``, removed ``text``."""

    kind: str
    line: int
    text: str


@dataclass
class PlanText:
    """The cleaned plan: ``lines[i]`` is file line ``i + 1`` with noise removed."""

    path: Path
    raw_lines: list[str]
    lines: list[str]
    noise: list[Noise] = field(default_factory=list)

    def line(self, number: int) -> str:
        """Cleaned text of 1-based line ``number``."""
        return self.lines[number - 1]

    def error(self, message: str, line: int | None = None) -> InputError:
        """An :class:`InputError` naming this file (and line)."""
        return InputError(message, self.path, line)


def decode(data: bytes, path: Path) -> str:
    """Decode strict UTF-8 (a BOM is tolerated); the error names the offending line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "expected the plan as a UTF-8 text export", path, line) from None
    return text.removeprefix("\ufeff")


def clean_line(text: str, number: int, noise: list[Noise]) -> str:
    """Remove bookmarks, trailing comments and doubled punctuation from one line."""
    text = text.rstrip("\r")
    n_marks = len(BOOKMARK.findall(text))
    if n_marks:
        noise.append(Noise("bookmark", number, f"{n_marks} bookmark marker(s)"))
        text = BOOKMARK.sub("", text)
    m = COMMENT.search(text)
    if m:
        noise.append(Noise("comment", number, m.group(0).strip()))
        text = text[: m.start()]
    for m in DOUBLE_PUNCT.finditer(text):
        noise.append(Noise("double_punct", number, m.group(0)))
    text = DOUBLE_PUNCT.sub(r"\1", text)
    m = HEADER_WORD.match(text)
    if m:
        noise.append(Noise("header_space", number, repr(text.strip("\t"))))
        text = m.group(1) + m.group(2) + m.group(3)
    return text


def read_plan(path: str | Path | None = None) -> PlanText:
    """Read and clean the plan text.

    Parameters
    ----------
    path : str or Path, optional
        Plan file; default :func:`qyedu.paths.plan_file`.

    Returns
    -------
    PlanText
        Cleaned lines (same numbering as the file) and the list of removed noise.

    Raises
    ------
    InputError
        If the file is missing, empty or not UTF-8.
    """
    from .. import paths

    path = Path(path) if path is not None else paths.plan_file()
    if not path.is_file():
        raise InputError("plan file not found (expected the 14th-FYP text export)", path)
    text = decode(path.read_bytes(), path)
    raw = text.split("\n")
    if raw and raw[-1] == "":
        raw = raw[:-1]
    if not any(s.strip() for s in raw):
        raise InputError("plan file is empty", path, 1)
    noise: list[Noise] = []
    lines = [clean_line(s, i + 1, noise) for i, s in enumerate(raw)]
    for i in range(len(lines) - 2):
        if all(p.match(lines[i + k]) for k, p in enumerate(FOOTNOTE)):
            noise.append(Noise("footnote_marker", i + 1,
                               "".join(s.strip() for s in lines[i:i + 3])))
            for k in range(3):
                lines[i + k] = ""
    noise.sort(key=lambda n: (n.line, n.kind, n.text))
    return PlanText(path=path, raw_lines=raw, lines=lines, noise=noise)
