"""Saved web pages (HTML, with or without their ``_files`` folder, and single-file MHTML) -> the
article's text and what the page says about itself.

* The article body is found by trafilatura (boilerplate removal by link density, text density and
  the page's structure), after the parts the page itself marks as furniture are set aside: navigation,
  headers and footers outside the article, cookie notices, share buttons, related links, comments,
  sidebars (the rules of ``viewer.core.html_reader``), but never a part holding most of the page's text.
  Short lines that are only furniture ("Advertisement", "Share this") are dropped. When trafilatura
  finds nothing (a very short page), the page's text is read with ``html_reader.html_to_text``.
* Title, publication date, author and site name come from the page's metadata: JSON-LD
  (``headline``, ``datePublished``, ``author``, ``publisher``), OpenGraph (``og:title``,
  ``og:site_name``, ``article:published_time``), ``<meta name=author>``, ``itemprop=datePublished``,
  ``<title>`` without the site name. The text's own title and date come first (``viewer.core.metadata``).
* The page's address comes from the comment browsers write when they save a page
  (``<!-- saved from url=(0042)https://… -->``), ``<link rel=canonical>``, ``og:url`` or, for MHTML,
  ``Snapshot-Content-Location``/``Content-Location``. It is stored, shown and cited, never fetched.

MHTML is read part by part without unpacking the pictures: only the first HTML part is decoded.
"""

from __future__ import annotations

import json
import re
from email.parser import BytesHeaderParser, BytesParser
from email.policy import default as email_policy
from pathlib import Path

from viewer.core.errors import ReadError
from viewer.core.html_reader import _is_clutter, _iso_from_attr, html_to_text, parse_html
from viewer.core.source_text import SourceText, normalise
from viewer.core.text_decoding import decode

MAX_MHTML_PARTS = 5000
MIN_ARTICLE_CHARS = 500  # shorter pages are read whole: too little text to tell article from furniture
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_SINGLEFILE = re.compile(r"<!--\s*Page saved with SingleFile\s+url:\s*(\S+)", re.I)
_FURNITURE_LINE = re.compile(
    r"^(?:advertisement|advert|sponsored(?: content)?|ad|реклама|share(?: this)?:?|read more|continue reading|"
    r"print|tweet|subscribe|sign up|log in|next article|previous article|back to top|"
    r"(?:©|\(c\)|copyright).{0,120}|.{0,80}all rights reserved\.?|.{0,40}\d+\s*min(?:ute)?s?\s+read)$",
    re.I,
)
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "report",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "webpage",
    "scholarlyarticle",
    "pressrelease",
    "event",
    "creativework",
}


def _http_url(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if re.match(r"^https?://[^\s<>\"]+$", value, re.I) and len(value) <= 2000 else None


# ------------------------------------------------------------------ metadata


def _json_ld(root) -> list[dict]:
    """The page's JSON-LD objects, flattened (``@graph`` and lists opened), articles first."""
    found: list[dict] = []

    def add(obj, depth: int = 0) -> None:
        if depth > 4 or len(found) > 200:
            return
        if isinstance(obj, list):
            for o in obj:
                add(o, depth + 1)
        elif isinstance(obj, dict):
            found.append(obj)
            if "@graph" in obj:
                add(obj["@graph"], depth + 1)

    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > 1_000_000:
            continue
        try:
            add(json.loads(raw))
        except (ValueError, RecursionError):
            continue

    def rank(o: dict) -> int:
        kinds = o.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        names = {str(k).lower() for k in kinds}
        return 0 if names & (_ARTICLE_TYPES - {"webpage"}) else 1 if "webpage" in names else 2

    return sorted(found, key=rank)


def _name(value) -> str | None:
    """A JSON-LD person or organisation (or a list of them) -> "A, B"."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        name = value.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else None
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value[:10]) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def page_metadata(root, raw: str) -> dict[str, str | None]:
    """title, published (ISO date), author, site and url from a parsed page (``raw``: its source)."""
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content and key not in meta:
            meta[key] = content
    title = None
    for el in root.iter("title"):
        title = " ".join(el.text_content().split()) or None
        break
    out: dict[str, str | None] = {"title": None, "published": None, "author": None, "site": None, "url": None}
    for obj in _json_ld(root):
        if not out["title"] and isinstance(obj.get("headline"), str):
            out["title"] = " ".join(obj["headline"].split()) or None
        if not out["published"] and isinstance(obj.get("datePublished"), str):
            out["published"] = _iso_from_attr(obj["datePublished"])
        if not out["author"]:
            out["author"] = _name(obj.get("author"))
        if not out["site"]:
            out["site"] = _name(obj.get("publisher")) or (
                _name(obj) if str(obj.get("@type", "")).lower() == "website" else None
            )
        if not out["url"]:
            out["url"] = _http_url(obj.get("url")) if str(obj.get("@type", "")).lower() != "website" else None
    out["title"] = meta.get("og:title") or meta.get("twitter:title") or out["title"] or meta.get("dc.title")
    for key in (
        "article:published_time",
        "datepublished",
        "og:published_time",
        "dc.date",
        "dcterms.date",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "sailthru.date",
        "parsely-pub-date",
    ):
        if not out["published"] and meta.get(key):
            out["published"] = _iso_from_attr(meta[key])
    if not out["published"]:
        for el in root.iter():
            if isinstance(el.tag, str) and (el.get("itemprop") or "").lower() == "datepublished":
                out["published"] = _iso_from_attr(el.get("content") or el.get("datetime") or el.text_content())
                if out["published"]:
                    break
    author = meta.get("author") or meta.get("article:author") or meta.get("dc.creator") or meta.get("byl")
    if not out["author"] and author and not _http_url(author):
        out["author"] = re.sub(r"^by\s+", "", author, flags=re.I).strip() or None
    out["site"] = meta.get("og:site_name") or out["site"] or meta.get("application-name")
    if out["title"] is None and title:
        out["title"] = title
    elif title and out["site"] and not out["title"]:
        out["title"] = title
    if out["title"] and out["site"]:  # "Title | Site" -> "Title"
        out["title"] = (
            re.sub(rf"\s*[|–—·•»:-]\s*{re.escape(out['site'])}\s*$", "", out["title"]).strip() or out["title"]
        )
    saved = _SAVED_FROM.search(raw[:4000]) or _SINGLEFILE.search(raw[:4000])
    canonical = None
    for el in root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split():
            canonical = _http_url(el.get("href"))
            if canonical:
                break
    out["url"] = (
        (_http_url(saved.group(1)) if saved else None) or canonical or _http_url(meta.get("og:url")) or out["url"]
    )
    return out


# ------------------------------------------------------------------ the article


def _set_aside_furniture(root) -> None:
    """Removes what the page marks as furniture, but never a part that holds most of its text."""
    body = root.find("body")
    if body is None:
        return
    total = max(1, len(body.text_content()))
    for el in list(body.iter()):
        if el is body or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.tag in ("script", "style", "template"):
            continue  # trafilatura drops them itself; their text would count against the limit
        inside_article = any(a.tag == "article" for a in el.iterancestors())
        if not _is_clutter(el, inside_article):
            continue
        if len(el.text_content()) < 0.3 * total:
            el.drop_tree()
        else:  # it holds the article ("elementor-widget", a page-wide <form>): read it as a plain block
            el.tag = "div"
            for attr in ("id", "class", "role", "hidden", "aria-hidden", "style"):
                el.attrib.pop(attr, None)


def _ws(text: str | None) -> str:
    return re.sub(r"\s+", " ", text) if text else ""


def _text_of(el) -> str:
    """An element's text; a line break (``<lb/>``) is a new line, the source's own line ends are spaces."""
    parts = [_ws(el.text)]
    for child in el:
        parts.append("\n" if child.tag == "lb" else _text_of(child))
        parts.append(_ws(child.tail))
    return "".join(parts)


def _clean(text: str) -> str:
    lines = [" ".join(ln.split()) for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _blocks(body) -> list[str]:
    """trafilatura's body (p, head, list/item, quote, table/row/cell, lb) -> our block text."""
    out: list[str] = []
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            text = " ".join(_text_of(el).split())
            if text:
                level = re.sub(r"\D", "", el.get("rend") or "") or "2"
                out.append("#" * min(6, max(1, int(level))) + " " + text)
        elif tag == "list":
            for item in el.iter("item"):
                text = _clean(_text_of(item))
                if text:
                    out.append("- " + text)
        elif tag == "table":
            for row in el.iter("row"):
                cells = [" ".join(_text_of(c).split()) for c in row.iter("cell")]
                cells = [c for c in cells if c]
                if cells:
                    out.append(" | ".join(cells))
        elif tag in ("quote", "div", "main", "body"):
            inner = _blocks(el)
            if inner:
                out.extend(inner)
            else:
                text = _clean(_text_of(el))
                if text:
                    out.append(text)
        else:
            text = _clean(_text_of(el))
            if text:
                out.append(text)
    return out


def _article_text(html: str) -> str | None:
    """trafilatura's reading of the article, as plain text (None: it found nothing)."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a dependency
        return None
    try:
        doc = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_formatting=False,
            include_links=False,
            with_metadata=False,
            deduplicate=False,
        )
    except (ValueError, TypeError, AttributeError, LookupError, RecursionError):
        return None
    body = getattr(doc, "body", None) if doc is not None else None
    if body is None:
        return None
    return "\n\n".join(_blocks(body)) or None


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _link_share(block: str, links: list[str]) -> float:
    """How much of a block is the text of links."""
    if not block:
        return 0.0
    covered = sum(len(t) for t in links if t in block)
    return covered / len(block)


def select_article(blocks: list[str], article: str, links: list[str]) -> list[str]:
    """Our blocks of a page (its exact text) -> those of the article trafilatura found: the blocks its
    text holds, and between the first and the last of them whatever is neither a furniture line
    ("Advertisement", "Share this") nor mostly links ("Read also: …")."""
    found = " " + " ".join(_words(article)) + " "
    confirmed = []
    for b in blocks:
        words = _words(b)
        if not words:
            confirmed.append(False)
            continue
        if " " + " ".join(words) + " " in found:
            confirmed.append(True)
            continue
        have = set(found.split())
        confirmed.append(sum(1 for w in words if w in have) >= 0.8 * len(words) and len(words) >= 8)
    if not any(confirmed):
        return blocks
    first = confirmed.index(True)
    last = len(confirmed) - 1 - confirmed[::-1].index(True)
    out = []
    for i in range(first, last + 1):
        b = blocks[i]
        bare = b.lstrip("#- ").strip()
        if _FURNITURE_LINE.match(bare):
            continue
        if confirmed[i] or _link_share(bare, links) < 0.5:
            out.append(b)
    return out


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_webpage(text: str, path: Path, url: str | None = None) -> SourceText:
    """A saved page's HTML (decoded) -> ``SourceText`` with the article's blocks and the page's hints."""
    import lxml.html

    text = _NOT_XML.sub("", text)  # control characters (a damaged file) that lxml refuses to set as text
    root = parse_html(text, path)
    meta = page_metadata(root, text)
    _set_aside_furniture(root)
    cleaned = lxml.html.tostring(root, encoding="unicode")
    src = html_to_text(cleaned, path)  # the page's exact text, block by block, and its <time> dates
    blocks = [b for b in src.text.split("\n\n") if b.strip()]
    if sum(len(b) for b in blocks) >= MIN_ARTICLE_CHARS:
        article = _article_text(cleaned)
        if article and len(article) >= MIN_ARTICLE_CHARS // 2:
            links = [" ".join(a.text_content().split()) for a in root.iter("a")]
            blocks = select_article(blocks, article, [t for t in links if len(t) > 1])
            src.text = normalise("\n\n".join(blocks))
    src.title_hint = meta["title"] or src.title_hint
    src.published_hint = meta["published"] or src.published_hint
    src.author_hint = meta["author"]
    src.site_hint = meta["site"]
    src.url_hint = _http_url(url) or meta["url"]
    return src


# ------------------------------------------------------------------ MHTML


def _header_end(data: bytes, start: int = 0, limit: int = 256 * 1024) -> int | None:
    ends = [
        i for i in (data.find(b"\r\n\r\n", start, start + limit), data.find(b"\n\n", start, start + limit)) if i >= 0
    ]
    if not ends:
        return None
    i = min(ends)
    return i + (4 if data[i : i + 4] == b"\r\n\r\n" else 2)


def read_mhtml(data: bytes, path: Path) -> SourceText:
    """A single-file saved page (MHTML, ``.mht``) -> its first HTML part read as a saved page."""
    name = path.name
    end = _header_end(data)
    if end is None:
        raise ReadError(f"{name}: is not a saved web page (MHTML): it has no MIME header")
    top = BytesHeaderParser(policy=email_policy).parsebytes(data[:end])
    snapshot = _http_url(str(top.get("Snapshot-Content-Location", "") or ""))
    ctype = top.get_content_type()
    html_part = None
    parts = 0
    if ctype == "text/html":
        html_part = BytesParser(policy=email_policy).parsebytes(data)
    elif ctype.startswith("multipart/"):
        boundary = top.get_param("boundary")
        if not boundary or len(boundary) > 200:
            raise ReadError(f"{name}: is not a saved web page (MHTML): its parts are not marked")
        marker = b"--" + str(boundary).encode("ascii", "replace")
        pos = data.find(marker, end)
        while pos >= 0 and parts < MAX_MHTML_PARTS:
            start = pos + len(marker)
            if data[start : start + 2] == b"--":
                break
            nxt = data.find(marker, start)
            chunk = data[start : nxt if nxt >= 0 else len(data)].lstrip(b"\r\n")
            head_end = _header_end(chunk)
            if head_end is not None:
                headers = BytesHeaderParser(policy=email_policy).parsebytes(chunk[:head_end])
                if headers.get_content_type() == "text/html":
                    html_part = BytesParser(policy=email_policy).parsebytes(chunk)
                    break
            parts += 1
            pos = nxt
    if html_part is None and ctype.startswith("multipart/") and parts >= MAX_MHTML_PARTS:
        raise ReadError(
            f"{name}: is not a saved web page that can be read (MHTML): more than "
            f"{MAX_MHTML_PARTS:,} parts come before its page"
        )
    if html_part is None:
        raise ReadError(f"{name}: is not a saved web page (MHTML): it holds no HTML page")
    try:
        payload = html_part.get_payload(decode=True) or b""
    except (ValueError, LookupError, TypeError) as e:
        raise ReadError(f"{name}: is a damaged saved web page (MHTML)", repr(e)) from e
    if not payload.strip():
        raise ReadError(f"{name}: is a saved web page (MHTML) without text")
    charset = html_part.get_content_charset()
    text = None
    if charset:
        try:
            text = payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None
    encoding = charset
    if text is None:
        text, encoding = decode(payload, name)
    url = snapshot or _http_url(str(html_part.get("Content-Location", "") or ""))
    src = read_webpage(text, path, url)
    src.format = "mhtml"
    src.encoding = encoding
    if not src.title_hint:
        subject = " ".join(str(top.get("Subject", "") or "").split())
        src.title_hint = subject or None
    import hashlib

    src.decoded_sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return src
