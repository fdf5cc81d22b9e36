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


# -- one value per label across pages ---------------------------------------------------------
NUMBER = re.compile(r"^[−\-+]?\d[\d,]*(?:\.\d+)?\s*%?$")
KEYPOINT = re.compile(r"(?P<label>[^：:;；,，。()（）|=→·]{2,60}?)\s*[：:]\s*"
                      r"(?P<num>[−\-+]?\d[\d,]*(?:\.\d+)?\s*%?)(?=$|[\s，,；;。)）])")


def norm_label(*parts: str) -> str:
    """A label for comparison: the parts joined by ' × ', spaces collapsed, case folded, the
    trailing '¶' of headings and decoration dropped."""
    out = []
    for p in parts:
        p = " ".join(str(p).replace("¶", " ").split()).strip(" :：").casefold()
        if p:
            out.append(p)
    return " × ".join(out)


def number_value(text: str) -> float | None:
    """'−8,517' → -8517.0, '58 %' → 58.0; None when the cell is not a bare number."""
    t = " ".join(text.split())
    if not NUMBER.match(t):
        return None
    t = t.replace(",", "").replace("−", "-").replace("%", "").strip()
    try:
        return float(t)
    except ValueError:
        return None


def _grid(rows) -> list[list[tuple[str, bool]]]:
    """The cells of ``rows`` (tr elements) as a rectangle, rowspan and colspan expanded:
    (text, is a header cell)."""
    out: list[list[tuple[str, bool]]] = []
    pending: dict[tuple[int, int], tuple[str, bool]] = {}
    for r, tr in enumerate(rows):
        line: list[tuple[str, bool]] = []
        cells = iter(tr.find_all(["th", "td"], recursive=False))
        c = 0
        while True:
            if (r, c) in pending:
                line.append(pending.pop((r, c)))
                c += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            val = (" ".join(cell.get_text(" ").split()), cell.name == "th")
            span_r = int(cell.get("rowspan", 1) or 1)
            for _k in range(int(cell.get("colspan", 1) or 1)):
                line.append(val)
                for dr in range(1, span_r):
                    pending[(r + dr, c)] = val
                c += 1
        while (r, c) in pending:
            line.append(pending.pop((r, c)))
            c += 1
        out.append(line)
    return out


ID_HEADER = re.compile(r"年|year|origin|起点|horizon|步长|编号|\bid\b|代码|code", re.I)


def _table_pairs(table) -> list[tuple[str, str]]:
    """(label, value text) of every numeric body cell. The label is the table's caption, its
    corner (index names), the row's identity (its header cells and every cell of an id
    column: a column with text, or a year, origin, horizon or id column) and the column's
    header rows."""
    thead = table.find("thead")
    heads = _grid(thead.find_all("tr")) if thead else []
    body = _grid(table.select("tbody > tr") or table.find_all("tr")[len(heads):])
    if not body:
        return []
    width = max(len(r) for r in body)
    caption = table.find("caption")
    cap = caption.get_text(" ").strip() if caption else ""

    def head(j: int) -> str:
        return " / ".join(dict.fromkeys(h[j][0] for h in heads if j < len(h) and h[j][0]))

    idcol = set()
    for j in range(width):
        col = [r[j] for r in body if j < len(r)]
        if all(th for _, th in col) or any(number_value(t) is None and t not in ("", "–")
                                           for t, _ in col) or ID_HEADER.search(head(j)):
            idcol.add(j)
    corner = " / ".join(head(j) for j in sorted(idcol) if head(j))
    pairs = []
    for r in body:
        row = " / ".join(r[j][0] for j in sorted(idcol) if j < len(r) and r[j][0])
        for j, (text, th) in enumerate(r):
            if j in idcol or th or number_value(text) is None:
                continue
            col = head(j)
            if not row and not col:
                continue
            pairs.append((norm_label(cap, corner, row, col), text))
    return pairs


def _keypoint_pairs(soup) -> list[tuple[str, str]]:
    pairs = []
    for li in soup.select(".qy-keypoints li"):
        text = " ".join(li.get_text(" ").split())
        for m in KEYPOINT.finditer(text):
            pairs.append((norm_label("key point", m.group("label")), m.group("num")))
    return pairs


def label_values(html: str) -> dict[str, set[str]]:
    """Every "label: number" a reviewer reads on a page: the numeric cells of its tables
    (caption × index name × row label × column header) and the "label: number" phrases of its
    key points → the texts printed under each label."""
    soup = visible(html)
    out: dict[str, set[str]] = {}
    pairs = [p for t in soup.find_all("table") for p in _table_pairs(t)] + _keypoint_pairs(soup)
    for label, text in pairs:
        out.setdefault(label, set()).add(" ".join(text.split()))
    return out


def contradictions(pages: dict[str, str]) -> dict[str, dict[str, set[str]]]:
    """Labels printed with two different numbers, on one page or across pages: label →
    {value text: pages}. Values equal as numbers ('8,517' and '8517') agree."""
    seen: dict[str, dict[str, set[str]]] = {}
    for name, html in pages.items():
        for label, texts in label_values(html).items():
            for t in texts:
                seen.setdefault(label, {}).setdefault(t, set()).add(name)
    return {k: v for k, v in seen.items() if len({number_value(t) for t in v}) > 1}
