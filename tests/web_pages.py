"""The saved web pages in ``tests/data/web`` and what an import must make of them: the article's
words (every paragraph), none of the site's furniture, and the page's title, date and address."""

from __future__ import annotations

from pathlib import Path

WEB = Path(__file__).resolve().parent / "data" / "web"

# page -> (title, date, url or None, paragraphs that must be there (a piece of each), furniture that must not)
PAGES: dict[str, dict] = {
    "news-div-site.html": {
        "title": "Court hears appeal of jailed Almaty activists",
        "date": "2023-03-14",
        "url": "https://www.northern-ledger.example/world/asia/2023/03/14/almaty-court-hearing",
        "author": "Irina Sokolova",
        "site": "The Northern Ledger",
        "article": [
            "An appeals court in Almaty on Monday began hearing",
            "The four, all members of a small civic group",
            "“There is not one witness who saw my client do anything violent,” said Bolat Seitkali",
            "Prosecutors asked the court to uphold the sentences.",
            "Relatives of the defendants waited outside the courtroom",
            "The hearing is due to continue on Thursday",
        ],
        "furniture": [
            "Subscribe for",
            "Log in",
            "We value your privacy",
            "Accept all cookies",
            "Manage preferences",
            "Share on Facebook",
            "Copy link",
            "4 min read",
            "More from World",
            "Election observers report",
            "Comments (3)",
            "This is an outrage",
            "Reply",
            "Privacy policy",
            "Terms of use",
            "Follow us on social media",
            "All rights reserved",
            "Advertisement",
            "Careers",
        ],
    },
    "ngo-briefing.html": {
        "title": "Briefing: Lawyers’ licences revoked in retaliation",
        "date": "2022-09-05",
        "url": "https://civicrights-monitor.example/briefings/lawyers-licences-revoked",
        "site": "Civic Rights Monitor",
        "article": [
            "Over the past year at least seven lawyers",
            "In each case the qualification commission",
            "What lawyers told us",
            "Aliya Dzhaksybekova, who lost her licence in March",
            "Another lawyer, who asked not to be named",
            "The bar association should publish the decisions",
            "Lawyers should have the right to appeal",
            "International partners should raise the cases",
            "will publish a full report later this",
        ],
        "furniture": [
            "Who we are",
            "Take action",
            "Donate",
            "This website uses cookies",
            "Share this",
            "Telegram",
            "Journalists detained at the border",
            "One thought on",
            "same happened to my cousin",
            "Leave a Reply",
            "Your email address",
            "Support our work",
            "Sign up",
            "Recent posts",
            "Example Street",
            "Privacy policy",
            "Terms of use",
            "Follow us on social media",
            "All rights reserved",
        ],
    },
    "event-builder-page.html": {
        "title": "Online discussion: Media freedom in Central Asia",
        "date": "2021-06-10",
        "url": "https://open-steppe.example/events/media-freedom-central-asia/",
        "site": "Open Steppe Initiative",
        "article": [
            "On 10 June 2021 the Open Steppe Initiative held an online discussion",
            "Askar Temirov, editor of an independent news site, opened the discussion.",
            "Dina Omarova, a media lawyer, noted",
            "Helen Marsh asked the speakers",
        ],
        "furniture": [
            "Projects",
            "Team",
            "Read more",
            "Share on Facebook",
            "You may also be interested in",
            "Access to information laws",
            "registered charity",
            "Privacy policy",
            "Terms of use",
            "Follow us on social media",
            "All rights reserved",
            "This website uses cookies",
        ],
    },
    "ru-news-page.html": {
        "title": "Суд продлил арест журналиста",
        "date": "2022-02-08",
        "url": None,
        "site": "Степные новости",
        "article": [
            "Районный суд продлил на два месяца арест журналиста",
            "«Мой подзащитный не признаёт вину",
            "Родственники Касымова говорят",
            "Следующее заседание назначено на 5 апреля.",
        ],
        "furniture": [
            "Главная",
            "Политика",
            "Экономика",
            "Поделиться",
            "WhatsApp",
            "Читайте также",
            "Курс тенге",
            "Все права защищены",
            "Политика конфиденциальности",
        ],
    },
}


def make_mhtml(html: Path, url: str, title: str = "Saved page") -> bytes:
    """A single-file saved page as a browser writes it: a MIME multipart/related message with the
    page (quoted-printable) and a picture, and the page's address in ``Snapshot-Content-Location``."""
    import quopri

    boundary = "----MultipartBoundary--aBcD1234efGH5678ijKL----"
    page = quopri.encodestring(html.read_bytes()).decode("ascii")
    parts = [
        "From: <Saved by Blink>",
        f"Snapshot-Content-Location: {url}",
        f"Subject: {title}",
        "Date: Tue, 14 Mar 2023 09:12:44 -0000",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"',
        "",
        "",
        f"--{boundary}",
        "Content-Type: text/html",
        "Content-ID: <frame-0@mhtml.blink>",
        "Content-Transfer-Encoding: quoted-printable",
        f"Content-Location: {url}",
        "",
        page,
        f"--{boundary}",
        "Content-Type: image/png",
        "Content-Transfer-Encoding: base64",
        "Content-Location: https://static.example/logo.png",
        "",
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
        f"--{boundary}--",
        "",
    ]
    return "\r\n".join(parts).encode("ascii")
