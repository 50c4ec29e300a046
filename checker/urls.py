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
        # mirrors, beta, API and staging copies of publishers' own pages
        "api.digitalmedia.hhs.gov",
        "beta.nhs.uk",
        "dev.statpearls.com",
        "dev2.statpearls.com",
        "developer.api.nhs.uk",
        "iiab.me",
        "img.medscape.com",
        "mdedge9-beta.mdedge.com",
        "mdedge9-ma1.mdedge.com",
        "public.staging.cdph.ca.gov",
        # aggregators and indexes that reprint abstracts
        "bioportal.bioontology.org",
        "discovery.researcher.life",
        "doaj.org",
        "libmast.utm.my",
        "ouci.dntb.gov.ua",
        "paperexplained.cn",
        "scilit.com",
        "scilit.net",
        "springermedizin.de",
        "www.curehunter.com",
        # copies of PDFs and textbook chapters, reprinted encyclopedia text
        "abcdocz.com",
        "empowher.com",
        "oncohemakey.com",
        "scribd.com",
        "www.barnardhealth.us",
        # a dictionary, a law-firm blog
        "medical-dictionary.thefreedictionary.com",
        "www.marlerblog.com",
    }
)
"""Hosts that copy other publishers' documents (mirrors, aggregators, staging and beta copies, PDF and textbook copies,
a dictionary, a law-firm blog): a source cites the primary publisher (journal DOI page, PubMed or PMC, NCBI Bookshelf,
the society's site). A listed host also covers its subdomains (www.scilit.net is scilit.net)."""

REPOSITORY_HOSTS = re.compile(
    r"(^|\.)pure\.elsevier\.com$|(^|\.)elsevierpure\.com$|^(experts|scholars)\.[a-z.]+\.edu$|^research\.[a-z]+\.dk$"
    r"|^repub\.eur\.nl$|^discovery\.dundee\.ac\.uk$|^cir\.nii\.ac\.jp$|^www\.hirsla\.lsh\.is$|^iris\.rais\.is$",
    re.IGNORECASE,
)
"""University research-portal and repository copies of journal papers: the primary is the journal or PubMed page."""

COPIES_STILL_CITED = frozenset(
    {
        "page-cir-familial-pituitary-adenomas",
        "page-eur-berends-pheo-incidence",
        "page-lsh-pituitary-iceland",
        "page-mayo-microscopic-colitis-olmsted-2011-2019",
        "page-mayo-nf1-pheo",
        "page-mdanderson-pituitary-adenoma-prevalence",
        "page-mdedge-gastric-net-seer",
        "page-pure-gilardini-osa-metanephrines",
    }
)
"""Shipped rows still on a copying or repository host because no primary page of the same paper could be read yet.
Each is the only support for its figure; a test keeps this list to rows that exist and still sit on such a host, so it
can only shrink."""


def copying_host(host: str) -> bool:
    """True when a lower-case host name is a mirror, aggregator or repository copy."""
    return bool(REPOSITORY_HOSTS.search(host)) or any(host == h or host.endswith("." + h) for h in MIRROR_HOSTS)


def source_url_problem(source_id: str, kind: str, url: str) -> str | None:
    """Why a source row's URL breaks the rule, or None."""
    if not url:
        return "a page source needs the https URL that was read" if kind == "page" else None
    problem = url_problem(url, https_only=kind in HTTPS_KINDS)
    host = (urlsplit(url).hostname or "").lower() if problem is None else ""
    if problem is None and PROXY_HOSTS.search(host):
        return "a URL must point at the public page, not a library proxy"
    if copying_host(host) and source_id not in COPIES_STILL_CITED:
        return f"{host} copies other publishers' pages; cite the primary publisher's page"
    return problem
