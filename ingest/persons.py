"""Person disambiguation: inventors and experts are linked by name *plus* context, never by name alone.

Chinese names collide constantly (张伟, 王磊), so an identical name only opens the question.
What answers it is context the candidate already has:

- ``affiliation`` — the same organisation id (+35; +30 when it is only one of several
  organisations on the record, ``affiliation_ids``, e.g. the co-applicants of a patent);
- ``coauthors`` — at least one shared co-inventor (+30, +5 for each further one, up to +40);
- ``ipc`` — a shared IPC subclass, i.e. the same technology field (+15).

A same-script name match starts at 50, a cross-script one (张伟 ↔ ZHANG WEI) at 40. At
:data:`LINK_SCORE` the decision is "linked", at :data:`REVIEW_SCORE` "review", else "new":
so name + affiliation or name + a shared co-inventor links, name + field alone only asks.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pypinyin import lazy_pinyin

from graph import ipc
from graph.model import NodeLabel, RelType
from ingest.link_decision import LinkDecision

if TYPE_CHECKING:
    from graph.store import GraphStore

LINK_SCORE = 80.0
REVIEW_SCORE = 65.0
AMBIGUITY_MARGIN = 5.0
_CJK = re.compile(r"[\u3400-\u9fff]")


def _words(text: str) -> list[str]:
    """Letters of any script, accents folded (JOSÉ → JOSE): Cyrillic, Hangul and Katakana
    names keep their own words, so they never share an empty key."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", folded))  # NFC: Hangul recomposed


def person_name_key(name: str) -> str:
    """Same-script key: 张 伟 → 张伟; ``Chen, Lihua`` and ``LIHUA CHEN`` → ``CHEN LIHUA``;
    ``КОРОЛЁВ АНАТОЛИЙ`` → ``АНАТОЛИИ КОРОЛЕВ`` (never empty for a name with letters)."""
    text = unicodedata.normalize("NFKC", name).upper()
    if _CJK.search(text):
        return re.sub(r"[\s·.•]", "", text)
    return " ".join(sorted(_words(text)))


def person_latin_key(name: str) -> str:
    """Cross-script key: the sorted pinyin syllable groups (张伟 → ``WEI ZHANG``)."""
    text = unicodedata.normalize("NFKC", name).upper()
    if _CJK.search(text):
        chars = re.sub(r"[\s·.•]", "", text)
        # Surname (first character, the common case) and given name as two words.
        parts = ["".join(lazy_pinyin(chars[:1])), "".join(lazy_pinyin(chars[1:]))]
        return " ".join(sorted(p.upper() for p in parts if p))
    return " ".join(sorted(_words(text)))


def ipc_subclass(code: str) -> str:
    """``H01L 33/00`` → ``H01L`` (the subclass is what a technology field means here)."""
    canonical = ipc.normalize_ipc(code)
    return ipc.subclass(canonical) if canonical else re.sub(r"\s", "", code).upper()[:4]


@dataclass
class _Person:
    id: str
    name: str
    cjk: bool
    affiliations: set[str] = field(default_factory=set)
    coauthors: set[str] = field(default_factory=set)  # person_name_key of co-inventors
    ipcs: set[str] = field(default_factory=set)


class PersonResolver:
    """Links person mentions to known persons using affiliation, co-inventors and IPC field.

    >>> r = PersonResolver()
    >>> r.add("person:1", "张伟", affiliation_id="uni:1", coauthors=["李强"], ipc_subclasses=["H01L"])
    >>> r.link("张伟").status, r.link("张伟", affiliation_id="uni:1").entity_id
    ('new', 'person:1')
    """

    def __init__(self) -> None:
        self._people: dict[str, _Person] = {}
        self._by_key: dict[str, set[str]] = defaultdict(set)
        self._by_latin: dict[str, set[str]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self._people)

    @classmethod
    def from_store(cls, store: GraphStore) -> PersonResolver:
        """Every Person with its affiliations, co-inventors (through shared patents) and IPC fields."""
        resolver = cls()
        people = {n.id: n for n in store.nodes(NodeLabel.PERSON)}
        affiliations: dict[str, set[str]] = defaultdict(set)
        for rel in store.relationships(RelType.AFFILIATED_WITH):
            affiliations[rel.start].add(rel.end)
        # An individual applicant's co-applicant organisations are its context too (as ingest
        # gives them, ``affiliation_ids``): the applicants of each patent, persons and the rest.
        applicants: dict[str, set[str]] = defaultdict(set)
        for rel in store.relationships(RelType.APPLIED_FOR):
            applicants[rel.end].add(rel.start)
        for on_patent in applicants.values():
            for member in on_patent & people.keys():
                affiliations[member].update(m for m in on_patent if m not in people)
        inventors: dict[str, list[str]] = defaultdict(list)
        for rel in store.relationships(RelType.INVENTED):
            inventors[rel.end].append(rel.start)
        patent_ipcs: dict[str, list[str]] = {}
        if inventors:
            for patent in store.get_nodes(sorted(inventors)):
                patent_ipcs[patent.id] = list(patent.props.get("ipcCodes") or [])
        coauthors: dict[str, set[str]] = defaultdict(set)
        fields: dict[str, set[str]] = defaultdict(set)
        for patent_id, members in inventors.items():
            for member in members:
                coauthors[member].update(m for m in members if m != member)
                fields[member].update(ipc_subclass(c) for c in patent_ipcs.get(patent_id, ()))
        for person_id, node in sorted(people.items()):
            fields[person_id].update(ipc_subclass(c) for c in node.props.get("ipcCodes") or ())
            names = [people[c].name for c in sorted(coauthors[person_id]) if c in people]
            resolver.add(
                person_id,
                node.name,
                affiliation_id=None,
                coauthors=names,
                ipc_subclasses=sorted(fields[person_id]),
            )
            resolver._people[person_id].affiliations.update(affiliations[person_id])
        return resolver

    def add(
        self,
        person_id: str,
        name: str,
        *,
        affiliation_id: str | None,
        coauthors: Sequence[str],
        ipc_subclasses: Sequence[str],
        affiliation_ids: Sequence[str] = (),
    ) -> None:
        """Record (or enrich) a person, so later mentions can be linked to it.

        ``affiliation_ids`` adds further affiliations (a patent with several applicants).
        """
        person = self._people.get(person_id)
        if person is None:
            person = self._people[person_id] = _Person(person_id, name, bool(_CJK.search(name)))
            self._by_key[person_name_key(name)].add(person_id)
            self._by_latin[person_latin_key(name)].add(person_id)
        person.affiliations.update(a for a in (affiliation_id, *affiliation_ids) if a)
        person.coauthors.update(person_name_key(c) for c in coauthors if c.strip())
        person.ipcs.update(ipc_subclass(c) for c in ipc_subclasses if c.strip())

    def link(
        self,
        name: str,
        *,
        affiliation_id: str | None = None,
        coauthors: Sequence[str] = (),
        ipc_subclasses: Sequence[str] = (),
        affiliation_ids: Sequence[str] = (),
    ) -> LinkDecision:
        """Link a person mention; ``affiliation_ids`` are further organisations it may belong to
        (weaker evidence than ``affiliation_id``, the organisation the record names for it)."""
        further = {a for a in affiliation_ids if a and a != affiliation_id}
        key, latin = person_name_key(name), person_latin_key(name)
        same_script = self._by_key.get(key, set())
        # A transliteration bridges scripts only: 张平 and 张萍 are both ZHANG PING, yet two people.
        cjk = bool(_CJK.search(name))
        other_script = {p for p in self._by_latin.get(latin, set()) if self._people[p].cjk != cjk}
        candidates = sorted(same_script | other_script)
        co = {person_name_key(c) for c in coauthors if c.strip()}
        ipcs = {ipc_subclass(c) for c in ipc_subclasses if c.strip()}
        scored: list[tuple[float, str, dict[str, Any]]] = []
        for person_id in candidates:
            person = self._people[person_id]
            matched: dict[str, Any] = {"name": "exact" if person_id in same_script else "transliteration"}
            score = 50.0 if person_id in same_script else 40.0
            if affiliation_id and affiliation_id in person.affiliations:
                score += 35.0
                matched["affiliation"] = affiliation_id
            elif shared_orgs := sorted(further & person.affiliations):
                # One of several organisations on the record (co-applicants): a little weaker.
                score += 30.0
                matched["affiliation"] = shared_orgs[0]
            shared = sorted(co & person.coauthors)
            if shared:
                score += min(40.0, 30.0 + 5.0 * (len(shared) - 1))
                matched["coauthors"] = shared
            fields = sorted(ipcs & person.ipcs)
            if fields:
                score += 15.0
                matched["ipc"] = fields
            scored.append((min(score, 100.0), person_id, matched))
        scored.sort(key=lambda t: (-t[0], t[1]))
        base: dict[str, Any] = {"nameKey": key, "candidates": len(candidates)}
        if not scored or scored[0][0] < REVIEW_SCORE:
            rule = "name_only" if scored else "no_name_match"
            return LinkDecision(
                name, None, None, scored[0][0] if scored else 0.0, "new", {**base, "rule": rule}
            )
        score, person_id, matched = scored[0]
        status: Any = "linked" if score >= LINK_SCORE else "review"
        evidence = {**base, "rule": "name_and_context", "matched": matched, "score": score}
        if len(scored) > 1 and score - scored[1][0] < AMBIGUITY_MARGIN:
            status = "review"
            evidence["reason"] = "ambiguous"
            evidence["alternatives"] = [p for _, p, _ in scored[1:4]]
        return LinkDecision(name, person_id, NodeLabel.PERSON, score, status, evidence)
