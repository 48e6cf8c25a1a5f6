"""Plain text and Markdown to clean article text: paragraphs kept, boilerplate and debris out."""

from __future__ import annotations

import re
import unicodedata

from archive.extract.document import Extracted
from archive.extract.outlets import known_outlet, normalise_outlet
from archive.folding import strip_marks

# Whole lines that are page furniture, not article text (matched after folding).
_BOILERPLATE = re.compile(
    r"""(?x)^(
        share | share\ this(\ article|\ story)? | share\ on\ \w+ | tweet | email | print
      | \d*\s*comments? (\ \(\d+\))? | leave\ a\ comment | view\ comments
      | source\ link | source | read\ more | read\ the\ full\ (story|article)
      | unlock\ (the\ )?editor'?s\ digest\ for\ free | advertisement | sponsored( content)?
      | subscribe( now)? | sign\ up(\ for\ our\ newsletter)? | follow\ us(\ on\ \w+)?
      | related(\ articles|\ stories)? | click\ here.* | skip\ to\ (main\ )?content
      | (all\ rights\ reserved|copyright\b).* | listen\ to\ this\ article
    )$"""
)
_FRONT_MATTER = re.compile(r"^(title|source|date|url|author|language|lang):\s*(.*)$", re.I)
_TERMINAL = tuple(".!?:;\"'”’»)…")
_OUTLET_WORD = re.compile(
    r"\b(press|news|times|post|agency|herald|journal|tribune|gazette|daily|tv|media|network|"
    r"observer|monitor|chronicle|telegraph|wire|radio|broadcasting|courier|express|times)\b",
    re.I,
)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def fold(line: str) -> str:
    """A line reduced for comparison: case, quotes, accents and spacing folded."""
    line = line.casefold()
    if not line.isascii():  # ASCII has no accents
        line = strip_marks(line)
    line = line.translate(str.maketrans("‘’´`“”", "''''\"\""))
    return " ".join(line.split())


def is_boilerplate(line: str) -> bool:
    """Whether a whole line is share/comment/subscription furniture."""
    return bool(_BOILERPLATE.match(fold(line).strip(" .:|-–—•")))


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Leading ``Title:``/``Source:``/... lines, and the rest. The block ends at a blank line
    or at the first line that is not a field: read either way, so that clean text (whose
    paragraphs are always apart) reads the same when it is extracted again."""
    lines = text.lstrip().split("\n")
    fields: dict[str, str] = {}
    for i, line in enumerate(lines):
        match = _FRONT_MATTER.match(line.strip())
        if not line.strip() or not match:
            if fields:
                return fields, "\n".join(lines[i + 1 if not line.strip() else i :])
            break
        key = match.group(1).casefold()
        fields["language" if key == "lang" else key] = match.group(2).strip()
    return {}, text


def _paragraphs(text: str) -> list[str]:
    """Blocks split on blank lines; a block of long or sentence-ending lines is one per line."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        wrapped = len(lines) > 1 and all(
            len(line) < 90 and not line.endswith(_TERMINAL) for line in lines[:-1]
        )
        paragraphs.extend([" ".join(lines)] if wrapped else lines)
    return paragraphs


def _strip_markdown(paragraphs: list[str]) -> tuple[list[str], str | None]:
    title = None
    out = []
    for para in paragraphs:
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*$", para)
        if heading:
            para = heading.group(1)
            if title is None and not out and para.startswith("") and heading.group(0)[1] != "#":
                title = para
        para = re.sub(r"^(\s*[-*+]\s+|\s*>\s?)", "", para)
        para = _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", para))
        if para and not re.fullmatch(r"[-*_=]{3,}", para):
            out.append(para)
    return out, title


def _looks_like_outlet(line: str) -> str | None:
    if len(line) > 40 or len(line.split()) > 5 or line.endswith(_TERMINAL):
        return None
    known = known_outlet(line)
    if known:
        return known
    words = line.split()
    if _OUTLET_WORD.search(line) and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
        return normalise_outlet(line)
    return None


def _looks_like_headline(line: str) -> bool:
    return len(line) <= 200 and len(line.split()) <= 25 and not line.endswith((".", ",", ";"))


def _is_debris(para: str, author: str | None) -> bool:
    """Broken layout fragments: a cut-off byline, a lone lowercase scrap."""
    words = para.split()
    if author and len(para) >= 4 and para != author:
        a = fold(author)
        p = fold(para)
        if a.endswith(p) or a.startswith(p):
            return True
    return len(words) <= 3 and para[:1].islower() and not para.endswith(_TERMINAL)


def _pull_inserts(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Short lines dropped into the middle of a sentence by a page layout (a pull quote, a
    repeated headline), and the paragraphs without them."""
    inserts = []
    out: list[str] = []
    for i, para in enumerate(paragraphs):
        before = out[-1] if out else ""
        after = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
        if (
            before
            and not before.endswith(_TERMINAL)
            and after[:1].islower()
            and _looks_like_headline(para)
            and not para.endswith(_TERMINAL)
        ):
            inserts.append(para)
            continue
        out.append(para)
    return out, inserts


def _join_broken(paragraphs: list[str]) -> list[str]:
    """Rejoin a sentence that layout split in two (no end punctuation, next starts lowercase)."""
    out: list[str] = []
    for para in paragraphs:
        if out and not out[-1].endswith(_TERMINAL) and para[:1].islower() and len(out[-1]) > 60:
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(para)
    return out


def _dedupe_adjacent(paragraphs: list[str]) -> list[str]:
    deduped: list[str] = []
    for para in paragraphs:
        if not deduped or fold(deduped[-1]) != fold(para):
            deduped.append(para)
    return deduped


def extract_text(
    raw: str, *, markdown: bool = False, title: str | None = None, author: str | None = None
) -> Extracted:
    """Clean article text and the metadata the text itself shows.

    `title` and `author`, when already known (stated by the user or a sidecar), are used to
    remove the headline where it reappears in the body and fragments of a broken byline.
    """
    result = _clean_once(raw, markdown=markdown, title=title, author=author)
    # Cleaning can uncover what cleans further (a headline under removed debris); repeat
    # until nothing changes, so that the clean text, extracted again, is itself.
    for _ in range(4):
        again = _clean_once(
            result.text, title=title or result.title, author=author or result.author
        )
        if again.text == result.text:
            break
        for key, how in again.basis.items():
            if key not in result.basis:
                setattr(result, key, getattr(again, key))
                result.basis[key] = how
        result.language_hint = result.language_hint or again.language_hint
        result.text = again.text
    return result


def _clean_once(
    raw: str, *, markdown: bool = False, title: str | None = None, author: str | None = None
) -> Extracted:
    raw = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    front, body = split_front_matter(raw)
    result = Extracted(text="", kind="markdown" if markdown else "text")
    for key, value in front.items():
        if value and key in ("title", "source", "author", "date", "url"):
            setattr(result, key, value)
            result.basis[key] = "front-matter"
        elif value and key == "language":
            result.language_hint = value
    paragraphs = _paragraphs(body)
    md_title = None
    if markdown:
        paragraphs, md_title = _strip_markdown(paragraphs)
    # Repeats first: the headline and outlet tests look at the first distinct paragraphs.
    paragraphs = _dedupe_adjacent([p for p in paragraphs if not is_boilerplate(p)])

    if paragraphs and "source" not in result.basis:
        outlet = _looks_like_outlet(paragraphs[0])
        if outlet and len(paragraphs) > 1:
            result.source = outlet
            result.basis["source"] = "text:outlet-line"
            paragraphs = paragraphs[1:]

    headline = title or result.title
    if md_title and not headline:
        headline = result.title = md_title
        result.basis["title"] = "text:markdown-heading"
    if (
        not headline
        and len(paragraphs) > 1
        and _looks_like_headline(paragraphs[0])
        and len(paragraphs[1]) > len(paragraphs[0])
    ):
        headline = result.title = paragraphs[0]
        result.basis["title"] = "text:first-line"
    if headline:
        folded = fold(headline)
        paragraphs = [p for p in paragraphs if fold(p) != folded]

    paragraphs = [p for p in paragraphs if not _is_debris(p, author or result.author)]
    paragraphs, inserts = _pull_inserts(paragraphs)
    if inserts and not headline:
        result.title = inserts[0]
        result.basis["title"] = "text:headline-fragment"
    deduped = _dedupe_adjacent(_join_broken(paragraphs))
    # A field line that cleaning brought to the top ("Title: ..." under removed debris) would
    # read as front matter when the clean text is extracted again: read it as that now.
    while deduped and (match := _FRONT_MATTER.match(deduped[0])):
        key = match.group(1).casefold()
        value = match.group(2).strip()
        if value and key in ("title", "source", "author", "date", "url"):
            if key not in result.basis:
                setattr(result, key, value)
                result.basis[key] = "front-matter"
        elif value and key in ("language", "lang"):
            result.language_hint = result.language_hint or value
        deduped.pop(0)
    result.text = "\n\n".join(deduped)
    return result
