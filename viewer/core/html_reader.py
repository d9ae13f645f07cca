"""HTML -> block text: the article of a page without its furniture (navigation, headers, footers, banners,
scripts, forms). ``viewer.core.webpage`` reads saved pages with these rules and trafilatura."""

from __future__ import annotations

import re
from pathlib import Path

from viewer.core.dates import find_dates
from viewer.core.errors import ReadError
from viewer.core.source_text import SourceText, normalise

_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "label",
    "nav",
    "footer",
    "aside",
    "menu",
    "dialog",
    "head",
    "video",
    "audio",
    "picture",
    "img",
    "map",
}
_SKIP_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "dialog",
    "alertdialog",
    "search",
    "menu",
    "menubar",
    "toolbar",
}
_CLUTTER = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|banner|newsletter|subscribe|subscription|share|sharing|social|"
    r"breadcrumbs?|related|comments?|advert|ads|promo|popup|modal|sidebar|menu|nav|navbar|navigation|skip|"
    r"toolbar|masthead|site-header|site-footer|footer|widget|signup|sign-up|paywall|tags|author-box)(?:$|[\s_-])",
    re.I,
)
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "figure",
    "figcaption",
    "address",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "details",
    "summary",
    "caption",
    "center",
}
_PUBLISHED_WORDS = re.compile(r"\b(?:published|posted|updated|modified|byline|dateline|pubdate)\b", re.I)


def _attr_text(el) -> str:
    return " ".join(filter(None, [el.get("id"), el.get("class"), el.get("itemprop"), el.get("role")]))


def _is_clutter(el, inside_article: bool) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP_TAGS:
        return True
    if tag == "header" and not inside_article:
        return True
    if (el.get("role") or "").lower() in _SKIP_ROLES:
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    attrs = " ".join(filter(None, [el.get("id"), el.get("class")]))
    return bool(attrs and _CLUTTER.search(attrs))


def parse_html(text: str, path: Path):
    """An HTML page's element tree (lxml), without comments and processing instructions. A page nested
    deeper than libxml2 reads (256 levels: it drops the rest) is refused, never read in part."""
    import lxml.html  # imported here: only HTML files need it
    from lxml import etree

    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(f"{path.name}: is not an HTML page that can be read ({e})", repr(e)) from e
    deep = next((e for e in parser.error_log if e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT), None)
    if deep is not None:
        raise ReadError(
            f"{path.name}: is nested too deeply to be read (more than 255 levels of elements)", deep.message
        )
    return root


def html_to_text(text: str, path: Path) -> SourceText:
    """An HTML page -> the text of its article: ``<article>`` (or ``<main>``, else ``<body>``) without
    navigation, headers, footers, banners, scripts and forms. Headings become ``# ``, list items
    ``- ``; ``<title>``, ``og:title``, ``article:published_time`` and ``<time datetime>`` become hints."""
    src = SourceText(path, "", "html")
    root = parse_html(text, path)
    for el in root.iter("title"):
        src.title_hint = " ".join(el.text_content().split()) or None
        break
    for el in root.iter("meta"):
        prop = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        content = (el.get("content") or "").strip()
        if not content:
            continue
        if prop in ("og:title", "twitter:title", "dc.title") and not src.title_hint:
            src.title_hint = content
        elif prop in ("og:title",):
            src.title_hint = content
        elif prop in ("article:published_time", "datepublished", "dc.date", "date", "pubdate", "publishdate"):
            iso = _iso_from_attr(content)
            if iso and not src.published_hint:
                src.published_hint = iso
    body = root.find("body")
    if body is None:
        body = root
    articles = [a for a in body.iter("article") if not any(p.tag == "article" for p in a.iterancestors())]
    if articles:
        scope = max(articles, key=lambda a: len(a.text_content()))
    else:
        mains = [
            m
            for m in body.iter()
            if isinstance(m.tag, str) and (m.tag == "main" or (m.get("role") or "").lower() == "main")
        ]
        scope = mains[0] if mains else body
    for t in scope.iter("time"):
        iso = _iso_from_attr(t.get("datetime") or t.text_content())
        if not iso:
            continue
        context = " ".join(
            [
                _attr_text(t),
                _attr_text(t.getparent()) if t.getparent() is not None else "",
                (t.getparent().text_content() if t.getparent() is not None else "")[:80],
            ]
        )
        if _PUBLISHED_WORDS.search(context) or (t.get("itemprop") or "").lower() == "datepublished":
            src.published_hint = src.published_hint or iso
        else:
            src.date_hints.append(iso)
    blocks: list[str] = []
    current = [_ws(scope.text, False)]
    _walk(scope, blocks, current, inside_article=bool(articles))
    _flush(blocks, current)
    src.text = normalise("\n\n".join(b for b in blocks if b.strip()))
    return src


def _iso_from_attr(value: str) -> str | None:
    value = value.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)", value)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    found = find_dates(value)
    return found[0][2] if found else None


def _ws(text: str | None, pre: bool) -> str:
    """HTML text: line ends in the source are spaces (``<br>`` breaks lines), except in ``<pre>``."""
    if not text:
        return ""
    return text if pre else re.sub(r"\s+", " ", text)


def _walk(el, blocks: list[str], current: list[str], inside_article: bool, pre: bool = False) -> None:
    """Depth-first: inline text accumulates in ``current``; a block element flushes it."""
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else None
        if tag is None:  # comments and processing instructions
            current.append(_ws(child.tail, pre))
            continue
        tag = tag.lower()
        if _is_clutter(child, inside_article or tag == "article"):
            current.append(_ws(child.tail, pre))
            continue
        if tag == "br":
            current.append("\n")
        elif tag in _BLOCK_TAGS:
            _flush(blocks, current)
            inner_pre = pre or tag == "pre"
            inner: list[str] = [_ws(child.text, inner_pre)]
            _walk(child, blocks, inner, inside_article or tag == "article", inner_pre)
            text = _inline("".join(inner))
            if text:
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    blocks.append("#" * int(tag[1]) + " " + " ".join(text.split()))
                elif tag in ("li", "dt", "dd"):
                    blocks.append("- " + text)
                else:
                    blocks.append(text)
        else:
            current.append(_ws(child.text, pre))
            _walk(child, blocks, current, inside_article, pre)
        current.append(_ws(child.tail, pre))
    # what remains inline belongs to the caller's block


def _flush(blocks: list[str], current: list[str]) -> None:
    text = _inline("".join(current))
    if text:
        blocks.append(text)
    current.clear()


def _inline(text: str) -> str:
    """Inline HTML text: runs of whitespace are one space; ``<br><br>`` (a blank line) separates
    paragraphs. Line by line: a long run of blanks costs its length, not its square."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.split("\n"):
        if not raw.strip(" \t\r\f\v"):  # a blank line ends the paragraph
            if current:
                paragraphs.append("\n".join(current))
                current = []
            continue
        line = " ".join(raw.split())
        if line:
            current.append(line)
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs).strip()
