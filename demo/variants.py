"""How the same organisation is written in different files (简称, prefixes, brackets, English)."""

from __future__ import annotations

import random

from demo.world import Org

LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司")


def strip_legal_form(name: str) -> str:
    for form in LEGAL_FORMS:
        if name.endswith(form):
            return name[: -len(form)]
    return name


def firm_variant(org: Org, rng: random.Random, *, noise: float) -> str:
    """The firm's official name, or with probability ``noise`` one of its everyday spellings."""
    name = org.name
    if rng.random() >= noise or org.legal_form == "分公司":
        return name
    choice = rng.randrange(6)
    if choice == 0 and org.bracket_region:
        return name.replace("（", "(").replace("）", ")")
    if choice == 1:
        for prefix in ("天津市", "天津"):
            if name.startswith(prefix):
                return name[len(prefix) :]
    if choice == 2:
        return strip_legal_form(name)
    if choice == 3:
        return (
            name.replace("天津市", "天津", 1)
            if name.startswith("天津市")
            else name.replace("天津", "天津市", 1)
        )
    if choice == 4:
        return name.replace("有限公司", " 有限公司", 1)
    if org.bracket_region:
        return name.replace("（天津）", "")
    return name


def institution_variant(org: Org, rng: random.Random, *, noise: float, english: bool = False) -> str:
    """An institution's official name, or (with probability ``noise``) a 简称 / English form."""
    if rng.random() >= noise:
        return org.name
    forms = list(org.short)
    if english:
        forms += [org.name_en, org.name_en.upper()]
    if org.name.startswith("天津市"):
        forms.append(org.name.replace("天津市", "天津", 1))
    return rng.choice(forms) if forms else org.name


def org_variant(org: Org, rng: random.Random, *, noise: float, english: bool = False) -> str:
    if org.label in ("University", "ResearchInstitute"):
        return institution_variant(org, rng, noise=noise, english=english)
    if org.label == "Enterprise":
        return firm_variant(org, rng, noise=noise)
    if rng.random() < noise and org.name.startswith("天津市"):
        return org.name[3:]
    return org.name
