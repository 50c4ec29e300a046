"""Which hosts a source may cite: copies (mirrors, aggregators, research portals) are refused, but for a shrinking list."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from checker.model import KnowledgeBase
from checker.urls import COPIES_STILL_CITED, copying_host, source_url_problem


@pytest.mark.parametrize(
    ("host", "copy"),
    [
        ("scilit.net", True),
        ("www.scilit.net", True),
        ("www.springermedizin.de", True),
        ("mdanderson.elsevierpure.com", True),
        ("moh-it.pure.elsevier.com", True),
        ("experts.nebraska.edu", True),
        ("research.ku.dk", True),
        ("beta.nhs.uk", True),
        ("www.nhs.uk", False),
        ("pubmed.ncbi.nlm.nih.gov", False),
        ("link.springer.com", False),
        ("www.elsevier.com", False),
        ("notscilit.net", False),
    ],
)
def test_copying_hosts_cover_subdomains_and_research_portals(host: str, copy: bool) -> None:
    assert copying_host(host) is copy


def test_a_listed_row_may_keep_its_copy_and_any_other_row_may_not() -> None:
    url = "https://www.hirsla.lsh.is/handle/2336/592763"
    assert source_url_problem("page-lsh-pituitary-iceland", "page", url) is None
    assert source_url_problem("page-new-row", "page", url) == (
        "www.hirsla.lsh.is copies other publishers' pages; cite the primary publisher's page"
    )


def test_the_rows_still_on_copies_are_shipped_and_still_on_a_copy(kb: KnowledgeBase) -> None:
    hosts = {source_id: (urlsplit(kb.sources[source_id].url).hostname or "") for source_id in COPIES_STILL_CITED}
    assert all(copying_host(host) for host in hosts.values()), hosts
    assert len(COPIES_STILL_CITED) == 8
