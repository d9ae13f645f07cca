"""Hostile PDFs for the import fuzz tests: small files that unpack to far more than they are.

Written object by object (a header, numbered objects, a cross-reference table), the way any PDF
writer does, so that each bomb is exactly the shape it is meant to be."""

from __future__ import annotations

import zlib


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


def _deflated_repeat(chunk: bytes, times: int) -> bytes:
    c = zlib.compressobj(9)
    out = [c.compress(chunk) for _ in range(times)]
    out.append(c.flush())
    return b"".join(out)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_bomb(megabytes: int = 400) -> bytes:
    """One page whose content stream unpacks to ``megabytes`` MB of text drawing (about 1,000 times
    its packed size)."""
    line = b"BT /F1 1 Tf 1 1 Td (AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA) Tj ET\n"
    chunk = line * (1024 * 1024 // len(line))
    packed = _deflated_repeat(chunk, megabytes)
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R "
            b">> >> >>",
            content,
            _FONT,
        ]
    )


def form_bomb(levels: int = 9, fan_out: int = 10) -> bytes:
    """A page that draws a form that draws the one below it ``fan_out`` times, ``levels`` deep: a few
    hundred bytes that ask for ``fan_out ** levels`` pieces of text."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"",  # the page, below
        _FONT,
    ]
    first = len(objects) + 1
    objects.append(
        _stream(
            b"BT /F1 8 Tf 10 10 Td (Words words words) Tj ET",
            b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>",
        )
    )
    for level in range(1, levels + 1):
        below = first + level - 1
        draw = b" ".join(b"/X Do" for _ in range(fan_out))
        objects.append(
            _stream(
                draw,
                b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X %d 0 R >> >>" % below,
            )
        )
    top = first + levels
    objects.append(_stream(b"/X Do"))
    objects[2] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /XObject "
        b"<< /X %d 0 R >> >> >>" % (len(objects), top)
    )
    return raw_pdf(objects)


def page_count_bomb(count: int = 50_000_000) -> bytes:
    """A page tree that claims ``count`` pages."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R "
            b">> >> >>",
            _stream(b"BT /F1 12 Tf 72 720 Td (One page of text.) Tj ET"),
            _FONT,
        ]
    )
