"""Each passage gets the pages of the block it comes from, in order (viewer.core.pages)."""

from viewer.core.pages import assign_pages
from viewer.core.source_text import PagedBlock


def test_passages_take_the_pages_of_their_blocks_in_order():
    blocks = [
        PagedBlock("A title", "heading", 1, 1),
        PagedBlock("Findings show that the findings hold.", "paragraph", 1, 2),
        PagedBlock("Findings", "heading", 2, 2),
        PagedBlock("CHAIR: We open the session.", "paragraph", 2, 2),
        PagedBlock("1 A note.", "note", 1, 1),
    ]
    passages = [
        (1, "Findings show that the findings hold."),
        (2, "Findings"),
        (3, "We open the session."),
        (4, "1 A note."),
        (5, "Text the source does not have"),
    ]
    assert assign_pages(passages, blocks) == {1: (1, 2, False), 2: (2, 2, False), 3: (2, 2, False), 4: (1, 1, True)}
