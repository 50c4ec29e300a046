"""The URL rule for source rows: which addresses the tables may cite, and the shipped rows still waiting for https.

Page and seed sources must cite an ``https://`` address (a page source must cite one); the HPO release rows
(annotation, ontology) may keep their ``http://purl.obolibrary.org`` addresses, which are release identifiers.
Every URL must also be a plain web address: no whitespace, control characters, credentials or other schemes
(``javascript:``, ``data:``). See checker.text.url_problem.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from checker.text import url_problem

HTTPS_KINDS = frozenset({"page", "seed"})

PROXY_HOSTS = re.compile(r"proxy|\.idm\.oclc\.org|(^|\.)ezp\.|\.lib\.[a-z.]+\.(edu|ac\.uk)$", re.IGNORECASE)
"""Library proxies: a source cites the public page, not a university's proxied copy."""

MIRROR_HOSTS = frozenset(
    {
        "mdedge9-beta.mdedge.com",
        "medical-dictionary.thefreedictionary.com",
        "public.staging.cdph.ca.gov",
        "www.barnardhealth.us",
        "www.curehunter.com",
        "www.marlerblog.com",
        "dev2.statpearls.com",
        "www.scribd.com",
        "scribd.com",
        "doaj.org",
        "api.digitalmedia.hhs.gov",
        "dev.statpearls.com",
        "springermedizin.de",
    }
)
"""Hosts that copy other publishers' documents (mirrors, aggregators, a staging server, a dictionary, a law-firm
blog): a source cites the primary publisher (journal DOI page, PubMed or PMC, NCBI Bookshelf, the society's site).
Hosts still cited by a few shipped rows (issue 16's list) are replaced as their rows are re-sourced, then added."""


def source_url_problem(source_id: str, kind: str, url: str) -> str | None:
    """Why a source row's URL breaks the rule, or None."""
    if not url:
        return "a page source needs the https URL that was read" if kind == "page" else None
    problem = url_problem(url, https_only=kind in HTTPS_KINDS)
    host = (urlsplit(url).hostname or "").lower() if problem is None else ""
    if problem is None and PROXY_HOSTS.search(host):
        return "a URL must point at the public page, not a library proxy"
    if host in MIRROR_HOSTS:
        return f"{host} copies other publishers' pages; cite the primary publisher's page"
    return problem
