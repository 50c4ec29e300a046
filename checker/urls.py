"""The URL rule for source rows: which addresses the tables may cite, and the shipped rows still waiting for https.

Page and seed sources must cite an ``https://`` address (a page source must cite one); the HPO release rows
(annotation, ontology) may keep their ``http://purl.obolibrary.org`` addresses, which are release identifiers.
Every URL must also be a plain web address: no whitespace, control characters, credentials or other schemes
(``javascript:``, ``data:``). See checker.text.url_problem.
"""

from __future__ import annotations

from checker.text import url_problem

HTTPS_KINDS = frozenset({"page", "seed"})

TRANSITIONAL_HTTP_SOURCES = frozenset({
    "page-rxlist-ibs-symptoms", "page-nhs-type2-diabetes-symptoms", "page-bootswebmd-coeliac-symptoms",
    "page-labtestsonline-uk-ulcerative-colitis", "page-childrenscolorado-lactose-intolerance",
    "page-familydoctor-gallstones-symptoms", "page-healthcom-copd-symptoms", "page-labtestsonline-uk-hypertension",
    "page-about-reactive-hypoglycemia", "page-stjohnwa-fainting-guideline", "page-nhs-coughing-up-blood",
    "page-fmh-cancer-warning-signs", "page-medsquirrel-sudden-vision-loss", "page-renalurology-hosp-med-sclc",
    "page-loyola-lumen-sclc-paraneoplastic", "page-aaes-pulmonary-carcinoid", "page-yourhormones-nf-pnet",
    "page-webmd-nci-pnet-hp", "page-mayo-zes-symptoms", "page-akademiska-insulinoma", "page-merck-vipoma",
    "page-aaes-vipoma", "page-hormone-org-secretory-tumors", "page-mayo-merkel-symptoms", "page-mayo-pheo-symptoms",
    "page-mayo-pheo-diagnosis", "page-mountsinai-paragangliomas", "page-acs-gi-carcinoid-symptoms-legacy",
    "page-aaes-colorectal-carcinoid", "page-wjg-gastric-net-table",
})
"""Shipped page rows whose URL is still http:// while the clinical team replaces them (issue 11). Only these
ids may keep an http:// address; the list may only shrink: tests/hardening/test_urls.py fails as soon as a
listed row is gone or cites https, so the id must then be removed here."""


def source_url_problem(source_id: str, kind: str, url: str) -> str | None:
    """Why a source row's URL breaks the rule, or None."""
    if not url:
        return "a page source needs the https URL that was read" if kind == "page" else None
    https_only = kind in HTTPS_KINDS and source_id not in TRANSITIONAL_HTTP_SOURCES
    return url_problem(url, https_only=https_only)
