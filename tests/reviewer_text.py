"""What a reviewer reads on a published page, as text, and the checks the browser test makes
on it: no parameter key or repository path, no English-only paragraph outside a gloss, and
one value per label across pages (numbers marked ``data-qy-key``)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

CJK = re.compile(r"[\u3400-\u9fff]")
PARAM_KEY = re.compile(r"\b(?:forecast|births|projection|places|teachers|costs|scorecard|"
                       r"sensitivity)\.(?!csv\b|txt\b|md\b|png\b|svg\b|pdf\b|json\b|xlsx\b)"
                       r"[a-z][a-z0-9_]{2,}\b")
REPO_PATH = re.compile(r"(?<![\w/.])(?:data/raw|data/processed|docs/|params/|qyedu/|notebooks/|"
                       r"tests/)|\b\w+\.py\b")
BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "dd", "caption")


def visible(html: str) -> BeautifulSoup:
    """The page without scripts, styles, code inputs, hidden parts and link targets."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    for tag in soup.select(".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt"):
        tag.decompose()
    return soup


def leaks(html: str) -> list[str]:
    """Parameter keys and repository paths in the visible text of a reviewer page."""
    text = visible(html).get_text(" ")
    return sorted(set(PARAM_KEY.findall(text)) | {m.group(0) for m in REPO_PATH.finditer(text)})


def _is_gloss(tag) -> bool:
    if tag.find_parent(class_="qy-en") is not None or "qy-en" in (tag.get("class") or []):
        return True
    prev = tag.find_previous_sibling(BLOCKS)  # an English gloss of the Chinese block before
    return prev is not None and prev.name == tag.name and bool(CJK.search(prev.get_text(" ")))


def english_only(html: str, min_words: int = 4) -> list[str]:
    """Paragraphs (p, li, headings) of at least ``min_words`` Latin words with no Chinese
    character that are not the gloss of a Chinese paragraph just before them."""
    out = []
    for tag in visible(html).find_all(BLOCKS):
        if tag.find(BLOCKS):  # judged by its own blocks
            continue
        text = " ".join(tag.get_text(" ").split())
        if CJK.search(text) or len(re.findall(r"[A-Za-z]{2,}", text)) < min_words:
            continue
        if not _is_gloss(tag):
            out.append(text[:120])
    return out


def keyed_values(html: str) -> dict[str, set[str]]:
    """Every number marked with its verdicts-table key: key → the texts printed for it."""
    out: dict[str, set[str]] = {}
    for tag in BeautifulSoup(html, "html.parser").select("[data-qy-key]"):
        out.setdefault(tag["data-qy-key"], set()).add(tag.get_text().strip())
    return out
