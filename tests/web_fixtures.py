"""Helpers for the web tests: a hostile transcript and an app with a store of known contents."""

from __future__ import annotations

HOSTILE = """Press Conference

by Harbour Council Chair Maren <script>alert('title')</script> Olsen after the meeting

  • 14 Mar. 2024 -

(As delivered)

Good afternoon. <script>alert('opening')</script> See <a href="javascript:alert(1)">the plan</a>.

Entity tricks: &lt;script&gt;alert('entity')&lt;/script&gt; and &#x3C;img src=x onerror=alert(2)&#x3E;.

Tomas Reyes, spokesperson: We start in the room with Lena Park from the Coastal Herald.

Lena Park (<img src=x onerror=alert(3)>): Will the plan <b>really</b> pass? And javascript:alert(4) is a link?

Maren Olsen, Chair: Yes. "Quotes" & 'apostrophes' & <iframe src="//evil.invalid"></iframe> stay text.
"""

DANGEROUS = ("<script>alert", "<img src=x", "<iframe", "<b>really", 'href="javascript:', "<a href=\"javascript")


def assert_inert(html: str) -> None:
    """No hostile markup from ``HOSTILE`` reached the page as markup."""
    for needle in DANGEROUS:
        assert needle not in html, needle
