"""Entity resolution for organisations: link a name as written in a source to a canonical entity.

Order of rules (the first that decides wins, and its name goes into the evidence):

1. ``credit_code`` — the unified social credit code matches a candidate's: exact.
2. ``exact_name`` / ``exact_alias`` — the normal form (:func:`ingest.names.normalize_org_name`)
   equals a candidate's name or alias: exact (unless two candidates share it: review).
3. ``latin_key`` — the order-free Latin key (``UNIV TIANJIN`` = ``Tianjin University`` =
   天津大学) equals one of a candidate's: linked.
4. ``fuzzy`` — blocking on character bigrams and Latin tokens, then rapidfuzz on the
   distinctive part, with hard caps where a difference means a different organisation
   (branch vs parent, 科技 vs 电子, different credit codes). Score ≥ ``threshold``: linked;
   ≥ ``review_threshold``: review; below: new.

A candidate whose credit code differs from the mention's is never linked. Two candidates
scoring within :data:`AMBIGUITY_MARGIN` of each other make the decision "review".
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from graph.model import ORGANIZATION_LABELS, NodeLabel
from ingest.latin_spelling import deletion_keys, is_pinyin_word, is_transposition, is_typo, untruncate
from ingest.link_decision import LinkDecision, LinkStatus
from ingest.names import (
    TYPE_WORD_FOR_LABEL,
    branch_of,
    classify_label,
    distinct_latin_tokens,
    distinctive,
    has_cjk,
    industry_words,
    is_generic_word,
    legal_jurisdiction,
    normalize_org_name,
    pinyin,
    place_parts,
    weighted_latin_keys,
)
from ingest.persons import PersonResolver

if TYPE_CHECKING:
    from graph.store import GraphStore

__all__ = [
    "Candidate",
    "LinkDecision",
    "LinkStatus",
    "OrgResolver",
    "PersonResolver",
    "classify_org",
    "normalize_credit_code",
]


#: Top candidates closer than this are ambiguous: a person decides.
AMBIGUITY_MARGIN = 2.0
#: Score of a match through the Latin key: higher through a Latin name the candidate was given
#: (its English name, a Lens alias) than through our rendering of its Chinese name.
LATIN_KEY_SCORE = {"given": 97.0, "rendered": 93.0}
WEAK_RENDERING_PENALTY = 8.0
#: A Latin name with a typo that is not pinyin in one word of a rendered Chinese name
#: (BEIING AEROSPACE UNIV / 北京航空航天大学): a link, at the threshold.
TYPO_ACROSS_SCRIPTS_SCORE = 90.0
#: A Latin word across scripts that is pinyin, but not the rendering of the Chinese name.
OTHER_PINYIN_CAP = 70.0
#: The same Latin words glued and ordered differently (ELILILLY / LILLY ELI).
REORDERED_GLUE_SCORE = 95.0
#: A Latin name that carries an organisation's acronym (UNIV BEIJING BUAA) and otherwise only
#: words of its names.
ACRONYM_SCORE = 93.0
#: Blocking keys shared by more candidates than this are skipped (e.g. the bigram 科技).
BLOCK_CAP = 400
#: How many blocked candidates are scored.
MAX_SCORED = 40


@dataclass(frozen=True)
class Candidate:
    id: str
    label: NodeLabel
    name: str
    aliases: tuple[str, ...] = ()
    credit_code: str | None = None
    name_en: str | None = None


def classify_org(name: str) -> NodeLabel:
    """The label to create for an organisation name that links to nothing.

    >>> [classify_org(n).value for n in ("天津大学", "UNIV BEI HANG", "天津华信科技有限公司")]
    ['University', 'University', 'Enterprise']
    """
    return NodeLabel(classify_label(name))


@lru_cache(maxsize=1 << 16)
def normalize_credit_code(code: str | None) -> str | None:
    """Upper-case, no spaces or dashes; None for empty. (Checksum validation is ingest's job.)"""
    if not code:
        return None
    clean = re.sub(r"[\s\-]", "", code).upper()
    return clean or None


@dataclass(frozen=True)
class _Form:
    """One indexed way of writing a candidate: its name, an alias or its English name."""

    entity: str
    field: str  # "name" | "aliases" | "nameEn"
    text: str
    normal: str
    cjk: bool
    keys: frozenset[tuple[str, ...]]
    weak: frozenset[tuple[str, ...]]  # keys reached only through a weak rendering
    tokens: tuple[str, ...]  # identifying Latin words, unglued (Latin names only)
    legal: str | None  # the jurisdiction of a Latin legal form (GMBH → DE), see legal_jurisdiction


def _form(entity: str, label: NodeLabel, field_name: str, text: str) -> _Form | None:
    text = untruncate(text)
    normal = normalize_org_name(text)
    if not normal:
        return None
    weighted = weighted_latin_keys(text, type_word=TYPE_WORD_FOR_LABEL.get(label.value))
    weak = frozenset(k for k, w in weighted.items() if w)
    cjk = has_cjk(normal)
    tokens = () if cjk else distinct_latin_tokens(normal)
    return _Form(
        entity, field_name, text, normal, cjk, frozenset(weighted), weak, tokens, legal_jurisdiction(text)
    )


def _is_acronym(form: _Form) -> bool:
    """An alias of one Latin word in capitals, 3–8 letters (BUAA, HEU), not a vocabulary word."""
    return (
        form.field == "aliases"
        and re.fullmatch(r"[A-Z]{3,8}", form.text.strip()) is not None
        and not is_generic_word(form.normal)
    )


def _block_keys(normal: str, keys: Iterable[tuple[str, ...]]) -> set[str]:
    out: set[str] = set()
    if has_cjk(normal):
        flat = re.sub(r"[()]", "", normal)
        out.update(f"b:{flat[i : i + 2]}" for i in range(len(flat) - 1))
        if len(flat) == 1:
            out.add(f"b:{flat}")
    if not has_cjk(normal):
        # The words themselves too: a typo inside a glued key (PARALLELWIRELESS) still meets.
        for word in normal.split():
            out.add(f"t:{word}")
            if len(word) >= 5:
                out.add(f"p:{word[:4]}")
        # Word order and glue (ELILILLY AND COMPANY / LILLY CO ELI): the identifying words, sorted
        # and glued.
        out.add("g:" + "".join(sorted(distinct_latin_tokens(normal))))
    for key in keys:
        for token in key:
            out.add(f"t:{token}")
            if len(token) >= 5:
                out.add(f"p:{token[:4]}")
            if not is_generic_word(token):
                # A typo in an identifying word (ELWAH / ELWHA, BEIING / BEIJING) still meets it.
                out.update(f"d:{d}" for d in deletion_keys(token))
    return out


def _latin_key_score(form: _Form, m_cjk: bool, m_keys: frozenset[tuple[str, ...]],
                     m_weak: frozenset[tuple[str, ...]]) -> float:  # fmt: skip
    """The score of a Latin-key match: given Latin names on both sides beat a rendering, and a
    match that needs a weak rendering (工业 → TECHNOLOGY) only reaches review."""
    score = LATIN_KEY_SCORE["rendered" if form.cjk or m_cjk else "given"]
    common = form.keys & m_keys
    if common and all(k in form.weak or k in m_weak for k in common):
        score -= WEAK_RENDERING_PENALTY
    return score


@dataclass(frozen=True)
class _Score:
    score: float
    form: _Form
    rule: str
    caps: tuple[str, ...]


#: Scores of two names that differ only in their places (see :func:`_score_places`).
PLACE_SCORES: dict[str, float] = {
    "place_position": 98.0,  # 华信科技(天津) vs 天津华信科技: one firm, the place written elsewhere
    "place_omitted": 92.0,  # 华信科技 (mention) vs the one candidate 天津华信科技: its own place left out
    "place_added": 90.0,  # 天津华信科技 (mention) vs the one placeless 华信科技: the same firm
    "subsidiary_or_same": 80.0,  # 海航航空技术 vs 海航航空技术(天津): a person decides
    "place_narrower": 86.0,  # 天津华信科技 vs 天津东丽区华信科技
    "subsidiary": 60.0,  # 海航航空技术(天津) (mention) vs 海航航空技术: a subsidiary, its own node
    "place_differs": 40.0,  # 哈尔滨飞机工业 vs 成都飞机工业: two organisations
}
#: Two Latin names whose legal forms belong to different laws (AIRBUS OPERATIONS GMBH / SAS).
LEGAL_FORM_CAP = 60.0
#: Both names carry words the other lacks (庆尚大学校 vs 仁荷大学校, OMSKIJ … UNIV vs CHUVASHSKIJ …
#: UNIV, 赛峰飞机发动机 vs 赛峰直升机发动机): another organisation, not a spelling.
BOTH_DIFFER_CAP = 70.0
#: Institutions whose distinctive part differs in one character are different (大阪/大分大学).
ACADEMIC_DIFFERS_CAP = 70.0


def _score_places(m: str, c: str) -> str | None:
    """The place rule for two Chinese normal forms whose names agree once places are taken off,
    or None when they do not."""
    m_places, m_bare, m_bracket = place_parts(m)
    c_places, c_bare, c_bracket = place_parts(c)
    if m_bare != c_bare or m_places == c_places:
        return "place_position" if m_bare == c_bare else None
    if not m_places:
        return "subsidiary_or_same" if c_bracket else "place_omitted"
    if not c_places:
        return "subsidiary" if m_bracket else "place_added"
    if m_places < c_places or c_places < m_places:
        return "place_narrower"
    return "place_differs"


def _score_cjk(m: str, c: str) -> tuple[float, list[str]]:
    """Score two Chinese normal forms, capping where a difference means a different organisation."""
    place_rule = _score_places(m, c)
    if place_rule is not None:
        return PLACE_SCORES[place_rule], [place_rule]
    caps: list[str] = []
    m_places, c_places = place_parts(m)[0], place_parts(c)[0]
    # The trade names are compared without their places (棠曜 vs 棠璞精密机械科技(天津)); the places
    # are compared as places below.
    m, c = place_parts(m)[1], place_parts(c)[1]
    m_parent, m_branch = branch_of(m)
    c_parent, c_branch = branch_of(c)
    m_ind, c_ind = industry_words(m), industry_words(c)
    m_dist, c_dist = distinctive(m), distinctive(c)
    score = fuzz.ratio(m_dist, c_dist)
    limits: list[tuple[str, float]] = []
    if m_dist != c_dist and len(m_dist) == len(c_dist) and pinyin(m_dist) == pinyin(c_dist):
        # Same sound, other characters (华信/华鑫): a typo or a different firm — a person decides.
        score = max(score, 85.0)
        caps.append("homophone")
    if m_dist != c_dist and min(len(m_dist), len(c_dist)) <= 4 and "homophone" not in caps:
        limits.append(("short_name_differs", 70.0))  # 天大 vs 天商大: abbreviations, not typos
    if re.findall(r"\d+", m_parent) != re.findall(r"\d+", c_parent):
        limits.append(("numbers_differ", 50.0))  # 第18研究所 vs 第46研究所
    if m_ind and c_ind and m_ind != c_ind:
        limits.append(("industry_differs", 60.0))  # 华信科技 vs 华信电子: two firms
    elif bool(m_ind) != bool(c_ind):
        score *= 0.9
        limits.append(("industry_missing", 88.0))  # 华信 vs 华信科技: likely, not sure
    if (m_branch is None) != (c_branch is None):
        limits.append(("branch_vs_parent", 40.0))
    elif m_branch and c_branch and m_branch != c_branch:
        limits.append(("branch_differs", 50.0))
    if m_places and c_places and not (m_places <= c_places or c_places <= m_places):
        limits.append(("place_differs", PLACE_SCORES["place_differs"]))  # 陕西 vs 石家庄飞机工业
    if m_dist != c_dist and (
        (_academic(m_ind) and _academic(c_ind)) or ("大学" in m_parent and "大学" in c_parent)
    ):
        # …also a university's foundation or board: 中佛罗里达大学研究基金会 is not 佛罗里达大学's.
        limits.append(("academic_name_differs", ACADEMIC_DIFFERS_CAP))  # 东京/京都大学, 九州/信州
    if m_dist != c_dist and "homophone" not in caps and _both_sides_differ(m_dist, c_dist, 1):
        # 中航沈飞 vs 中航西飞, 三信电子 vs 三成电子: a character replaced is another trade name
        # (a typo typed through pinyin is a homophone, which a person is asked about).
        limits.append(("both_differ", BOTH_DIFFER_CAP))
    elif abs(len(m_parent) - len(c_parent)) >= 4 and (m_parent in c_parent or c_parent in m_parent):
        # 赛峰 vs 赛峰动力设备, 石川岛播磨重工业 vs …空间技术: more words, another organisation.
        limits.append(("extended", BOTH_DIFFER_CAP))
    if (bool(m_places) != bool(c_places)) and m != c:
        limits.append(("place_and_name_differ", BOTH_DIFFER_CAP))  # 航天神舟飞行器 vs 湖北航天飞行器研究所
    if _brackets(m_parent) != _brackets(c_parent):
        limits.append(("bracket_differs", 50.0))  # 中国石油大学(北京) vs (华东): two campuses
    for cap, limit in limits:
        caps.append(cap)
        score = min(score, limit)
    # Full-string similarity keeps long shared prefixes from scoring as identical.
    score = min(score, 0.5 * score + 0.5 * fuzz.ratio(m_parent, c_parent) + 10.0)
    return float(score), caps


_ACADEMIC_WORDS = frozenset(
    {"大学", "学院", "职业技术学院", "研究所", "研究院", "科学院", "研究中心", "实验室"}
)


def _both_sides_differ(a: str | tuple[str, ...], b: str | tuple[str, ...], least: int) -> bool:
    """Whether each side has at least ``least`` characters (or words) the other lacks, after
    the longest alignment: a substitution, not an insertion (AIRBUS vs AIRBUS OPERATIONS)."""
    kept_a = kept_b = 0
    for op in Levenshtein.opcodes(a, b):
        if op.tag in ("replace", "delete"):
            kept_a += op.src_end - op.src_start
        if op.tag in ("replace", "insert"):
            kept_b += op.dest_end - op.dest_start
    return kept_a >= least and kept_b >= least


def _academic(industry: tuple[str, ...]) -> bool:
    return any(word in _ACADEMIC_WORDS for word in industry)


def _brackets(text: str) -> list[str]:
    return re.findall(r"\(([^()]*)\)", text)


def _typo_only(m_tok: tuple[str, ...], c_tok: tuple[str, ...]) -> bool:
    """Whether every word one side lacks is a one-edit typo of a word the other side lacks."""
    m_only = set(m_tok) - set(c_tok)
    c_only = set(c_tok) - set(m_tok)
    return all(
        any(
            min(len(a), len(b)) >= 5 and a.isascii() and b.isascii() and OSA.distance(a, b) <= 1
            for b in c_only
        )
        for a in m_only
    )


def _score_tokens(m_tok: tuple[str, ...], c_tok: tuple[str, ...]) -> tuple[float, list[str]]:
    """Two Latin names word by word: a typo inside a word may link, a missing or different word
    may not (JOHNSON MARK A is not JOHNSON MARK L; AIRBUS is not AIRBUS OPERATIONS)."""
    if "".join(m_tok) == "".join(c_tok):
        return 100.0, []
    if m_tok and "".join(sorted(m_tok)) == "".join(sorted(c_tok)):
        # ELILILLY (AND COMPANY) / LILLY (CO) ELI: the same words glued and in another order.
        return REORDERED_GLUE_SCORE, ["reordered_glue"]
    if len(m_tok) != len(c_tok) or not m_tok:
        score = min(85.0, fuzz.token_sort_ratio(" ".join(m_tok), " ".join(c_tok)))
        if _both_sides_differ(tuple(sorted(m_tok)), tuple(sorted(c_tok)), 1) and not _typo_only(m_tok, c_tok):
            return min(score, BOTH_DIFFER_CAP), ["words_differ", "both_differ"]
        return score, ["words_differ"]
    ratios = []
    for a, b in zip(sorted(m_tok), sorted(c_tok), strict=True):
        # One edit in a word of five letters or more is a typo (PARROT / PARROTT); anything more
        # is another word (AVNI / AVNIEL).
        # One edit or one swap of neighbours (ELWAH / ELWHA).
        # Latin letters only: one Hangul syllable is a different name (경운 / 광운).
        # A swap of neighbours is a slip of the fingers, scored as one edit in the word (ELWAH /
        # ELWHA: 90), where the Indel ratio would count it as two.
        if a == b:
            ratios.append(100.0)
        elif is_typo(a, b):
            ratios.append(100.0 - 50.0 / max(len(a), len(b)) if is_transposition(a, b) else fuzz.ratio(a, b))
        else:
            ratios.append(0.0)
    if min(ratios) < 80:
        return min(70.0, sum(ratios) / len(ratios)), ["word_differs"]
    return sum(ratios) / len(ratios), ["typo"]


def _typo_across_scripts(latin: tuple[str, ...], rendered: tuple[str, ...]) -> bool:
    """Whether a Latin key differs from a rendered one by a typo in one identifying word that is
    not itself pinyin (BEIING / BEIJING yes; HUAXING / HUAXIN no: 华兴 and 华新 are two names)."""
    lat = [t for t in latin if not is_generic_word(t)]
    ren = [t for t in rendered if not is_generic_word(t)]
    only_lat = [t for t in lat if t not in ren]
    only_ren = [t for t in ren if t not in lat]
    return (
        len(lat) == len(ren)
        and len(only_lat) == len(only_ren) == 1
        and is_typo(only_lat[0], only_ren[0])
        and not is_pinyin_word(only_lat[0])
    )


def _score_keys(
    m_keys: frozenset[tuple[str, ...]],
    c_keys: frozenset[tuple[str, ...]],
    tokens: tuple[tuple[str, ...], tuple[str, ...]] | None,
    *,
    m_latin: bool = True,
    weak: frozenset[tuple[str, ...]] = frozenset(),
) -> tuple[float, list[str]]:
    """Score two names through their Latin keys: generic words and numbers must agree, the
    identifying words are compared word by word when both names are Latin (``tokens``), else as
    one glued string capped at review (a near miss across scripts is for a person to judge) —
    unless the Latin side (``m_latin``: the mention) has a plain typo in one word (``weak``: keys
    that need a weak rendering, which a typo does not make surer)."""
    best, best_caps = 0.0, ["no_latin_key"]
    for mk in m_keys:
        for ck in c_keys:
            if mk == ck:
                return 100.0, []
            caps: list[str] = []
            if tokens is not None:
                score, caps = _score_tokens(*tokens)
            elif _typo_across_scripts(*((mk, ck) if m_latin else (ck, mk))):
                score = TYPO_ACROSS_SCRIPTS_SCORE - (
                    WEAK_RENDERING_PENALTY if mk in weak or ck in weak else 0
                )
                caps.append("latin_typo")
            else:
                m_dis = "".join(t for t in mk if not is_generic_word(t))
                c_dis = "".join(t for t in ck if not is_generic_word(t))
                score = min(85.0, fuzz.ratio(m_dis, c_dis)) if m_dis and c_dis else 0.0
                caps.append("across_scripts")
                lat = [t for t in (mk if m_latin else ck) if not is_generic_word(t)]
                ren = ck if m_latin else mk
                if any(t not in ren for t in lat) and all(is_pinyin_word(t) for t in lat if t not in ren):
                    # BINZHOU (滨州) vs QINZHOU (钦州): pinyin that is not the rendering is another name.
                    score = min(score, OTHER_PINYIN_CAP)
                    caps.append("other_pinyin_name")
            if sorted(t for t in mk if t.isdigit()) != sorted(t for t in ck if t.isdigit()):
                score = min(score, 50.0)
                caps.append("numbers_differ")
            if sorted(t for t in mk if is_generic_word(t)) != sorted(t for t in ck if is_generic_word(t)):
                # UNIV TIANJIN vs UNIV TIANJIN TECHNOLOGY: the extra word makes another organisation.
                score = min(score, 60.0)
                caps.append("generic_words_differ")
            if score > best:
                best, best_caps = float(score), caps
    return best, best_caps


def _top_hits(hits: Counter[str]) -> list[tuple[str, int]]:
    """The ``MAX_SCORED`` best (id, shared blocks), most shared first, then by id: exactly
    ``sorted(hits.items(), key=(-count, id))[:MAX_SCORED]``, without sorting every id a common
    block brings (thousands per mention at city scale, most of them sharing one block)."""
    if len(hits) <= MAX_SCORED:
        return sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
    # Only ids with at least the MAX_SCORED-th best count can be among the first MAX_SCORED:
    # every id above that count is in, and the rest of the places go to the smallest ids *at*
    # it. At province scale those ties are thousands of ids sharing one block (py-spy of the
    # ×100 build: sorting them by a Python key was a quarter of the build); the smallest few
    # strings are found by heapq without a key function.
    floor = heapq.nlargest(MAX_SCORED, hits.values())[-1]
    items = [kv for kv in hits.items() if kv[1] >= floor]
    if len(items) <= 4 * MAX_SCORED:  # few ties: one sort is cheapest
        return sorted(items, key=lambda kv: (-kv[1], kv[0]))[:MAX_SCORED]
    above = sorted((kv for kv in items if kv[1] > floor), key=lambda kv: (-kv[1], kv[0]))
    tied = heapq.nsmallest(MAX_SCORED - len(above), [k for k, v in items if v == floor])
    return above + [(k, floor) for k in tied]


class OrgResolver:
    """Links organisation names to candidates; :meth:`add` grows it as new entities are created.

    >>> r = OrgResolver([Candidate("uni:1", NodeLabel.UNIVERSITY, "天津大学", aliases=("天大",))])
    >>> [r.link(n).entity_id for n in ("天大", "UNIV TIANJIN", "Tianjin University")]
    ['uni:1', 'uni:1', 'uni:1']
    """

    def __init__(
        self, candidates: Iterable[Candidate] = (), *, threshold: float = 90.0, review_threshold: float = 75.0
    ) -> None:
        if not 0 <= review_threshold <= threshold <= 100:
            raise ValueError(
                f"need 0 <= review_threshold ({review_threshold}) <= threshold ({threshold}) <= 100"
            )
        self.threshold = threshold
        self.review_threshold = review_threshold
        self._candidates: dict[str, Candidate] = {}
        self._forms: dict[str, list[_Form]] = defaultdict(list)
        self._by_credit: dict[str, str] = {}
        self._codes: dict[str, str | None] = {}  # id -> its candidate's normalised credit code
        self._by_normal: dict[str, set[str]] = defaultdict(set)
        self._by_key: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._by_acronym: dict[str, set[str]] = defaultdict(set)
        self._blocks: dict[str, set[str]] = defaultdict(set)
        for candidate in candidates:
            self.add(candidate)

    @classmethod
    def from_store(
        cls, store: GraphStore, *, threshold: float = 90.0, review_threshold: float = 75.0
    ) -> OrgResolver:
        """A resolver over every organisation in ``store`` (all six organisation labels)."""
        resolver = cls(threshold=threshold, review_threshold=review_threshold)
        for label in sorted(ORGANIZATION_LABELS):
            for node in store.nodes(label):
                props = node.props
                resolver.add(
                    Candidate(
                        id=node.id,
                        label=label,
                        name=str(props.get("name") or node.id),
                        aliases=tuple(str(a) for a in props.get("aliases") or ()),
                        credit_code=props.get("creditCode"),
                        name_en=props.get("nameEn"),
                    )
                )
        return resolver

    def __len__(self) -> int:
        return len(self._candidates)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._candidates

    def entity_ids(self) -> frozenset[str]:
        return frozenset(self._candidates)

    def candidate(self, entity_id: str) -> Candidate:
        return self._candidates[entity_id]

    def ids_with_normal(self, normal: str) -> frozenset[str]:
        """The candidates one of whose names has exactly this normal form."""
        return frozenset(self._by_normal.get(normal, ()))

    def add(self, candidate: Candidate) -> None:
        """Index ``candidate``; adding an id again adds its new name forms (aliases accumulate)."""
        old = self._candidates.get(candidate.id)
        if old is not None:
            candidate = Candidate(
                id=candidate.id,
                label=old.label,
                name=old.name,
                aliases=tuple(dict.fromkeys((*old.aliases, candidate.name, *candidate.aliases))),
                credit_code=old.credit_code or candidate.credit_code,
                name_en=old.name_en or candidate.name_en,
            )
        self._candidates[candidate.id] = candidate
        code = normalize_credit_code(candidate.credit_code)
        self._codes[candidate.id] = code
        if code:
            self._by_credit.setdefault(code, candidate.id)
        known = {f.text for f in self._forms[candidate.id]}
        texts = [("name", candidate.name)] + [("aliases", a) for a in candidate.aliases]
        if candidate.name_en:
            texts.append(("nameEn", candidate.name_en))
        for field_name, text in texts:
            if text in known:
                continue
            form = _form(candidate.id, candidate.label, field_name, text)
            if form is None:
                continue
            known.add(text)
            self._forms[candidate.id].append(form)
            self._by_normal[form.normal].add(candidate.id)
            if _is_acronym(form):
                self._by_acronym[form.normal].add(candidate.id)
            for key in form.keys:
                self._by_key[key].add(candidate.id)
            for block in _block_keys(form.normal, form.keys):
                self._blocks[block].add(candidate.id)

    # -- linking ------------------------------------------------------------------------------

    def link(
        self, name: str, *, credit_code: str | None = None, label_hint: NodeLabel | None = None
    ) -> LinkDecision:
        """Decide which candidate ``name`` is, with the evidence for the decision."""
        spelled = untruncate(name)  # … AERONAUTICAL SYSTE → … SYSTEM (Derwent's 30 characters)
        normal = normalize_org_name(spelled)
        code = normalize_credit_code(credit_code)
        base: dict[str, Any] = {"normal": normal}
        if code:
            base["creditCode"] = code
            hit = self._by_credit.get(code)
            if hit is not None:
                return self._decision(name, hit, 100.0, "exact", {**base, "rule": "credit_code"})
        if not normal:
            return LinkDecision(name, None, None, 0.0, "new", {**base, "rule": "empty_name"})

        def compatible(entity_id: str) -> bool:
            if not code:  # nothing to conflict with (most mentions): skip the candidate's look-up
                return True
            other = self._codes[entity_id]
            return not (code and other and other != code)

        conflicts = sorted(i for i in self._by_normal.get(normal, ()) if not compatible(i))
        if conflicts:
            base["creditCodeConflicts"] = conflicts
        legal = legal_jurisdiction(spelled)

        def same_law(entity_id: str) -> bool:
            laws = {f.legal for f in self._forms[entity_id] if f.normal == normal}
            return legal is None or None in laws or legal in laws

        exact = sorted(i for i in self._by_normal.get(normal, ()) if compatible(i) and same_law(i))
        if exact:
            exact = self._prefer_label(exact, label_hint)
            chosen = exact[0]
            field_name = next(f.field for f in self._forms[chosen] if f.normal == normal)
            evidence = {**base, "rule": f"exact_{'alias' if field_name != 'name' else 'name'}",
                        "field": field_name}  # fmt: skip
            if len(exact) > 1:
                evidence["alternatives"] = exact[1:]
                return self._decision(name, chosen, 100.0, "review", {**evidence, "reason": "ambiguous"})
            return self._decision(name, chosen, 100.0, "exact", evidence)

        label_value = label_hint.value if label_hint else classify_label(spelled)
        weighted = weighted_latin_keys(spelled, type_word=TYPE_WORD_FOR_LABEL.get(label_value))
        m_keys = frozenset(weighted)
        m_weak = frozenset(k for k, w in weighted.items() if w)
        scored = self._score_blocked(spelled, normal, m_keys, m_weak, compatible)
        self._score_acronym(normal, compatible, scored)
        m_cjk = has_cjk(normal)
        for i in sorted({i for k in m_keys for i in self._by_key.get(k, ()) if compatible(i)}):
            # Between two Chinese forms the characters decide (华鑫 is not 华信 though both
            # are HUAXIN); the Latin key bridges scripts only.
            if m_cjk and self._cjk_named(i):
                continue  # its own Chinese name decides (中國科技大學 is not USTC, whatever the English)
            forms = [f for f in self._forms[i] if f.keys & m_keys and not (m_cjk and f.cjk)]
            if not forms:
                continue
            form = max(forms, key=lambda f: (_latin_key_score(f, m_cjk, m_keys, m_weak), not f.cjk))
            score = _latin_key_score(form, m_cjk, m_keys, m_weak)
            caps: tuple[str, ...] = ()
            if legal and form.legal and legal != form.legal:
                score, caps = min(score, LEGAL_FORM_CAP), ("legal_form_differs",)
            if i not in scored or scored[i].score < score:
                scored[i] = _Score(score, form, "latin_key", caps)
        return self._decide(name, scored, label_hint, base)

    def _score_acronym(self, normal: str, compatible: Any, scored: dict[str, _Score]) -> None:
        """UNIV BEIJING BUAA: a Latin name carrying one organisation's acronym (an alias of one
        word, ``BUAA``) whose other words are all words of that organisation's names."""
        if has_cjk(normal):
            return
        words = [w for w in normal.split() if w not in ("OF", "AND", "THE", "FOR")]
        for word in words:
            ids = [i for i in self._by_acronym.get(word, ()) if compatible(i)]
            if len(ids) != 1 or len(words) < 2:
                continue
            entity_id = ids[0]
            known = self._words(entity_id)
            if all(w in known for w in words if w != word):
                form = next(f for f in self._forms[entity_id] if f.normal == word)
                if entity_id not in scored or scored[entity_id].score < ACRONYM_SCORE:
                    scored[entity_id] = _Score(ACRONYM_SCORE, form, "acronym", ())

    def _cjk_named(self, entity_id: str) -> bool:
        """Whether the candidate has a name or alias in Chinese characters."""
        return any(f.cjk for f in self._forms[entity_id])

    def _words(self, entity_id: str) -> frozenset[str]:
        """Every Latin word of an entity's names and of their Latin keys."""
        out: set[str] = set()
        for form in self._forms[entity_id]:
            if not form.cjk:
                out.update(form.normal.split())
            for key in form.keys:
                out.update(key)
        return frozenset(out)

    def _prefer_label(self, ids: list[str], label_hint: NodeLabel | None) -> list[str]:
        if label_hint is None:
            return ids
        return sorted(ids, key=lambda i: (self._candidates[i].label != label_hint, i))

    def _score_blocked(
        self,
        name: str,
        normal: str,
        m_keys: frozenset[tuple[str, ...]],
        m_weak: frozenset[tuple[str, ...]],
        compatible: Any,
    ) -> dict[str, _Score]:
        blocks = [b for b in _block_keys(normal, m_keys) if b in self._blocks]
        usable = [b for b in blocks if len(self._blocks[b]) <= BLOCK_CAP]
        if not usable and blocks:  # only common keys: take the rarest one
            usable = [min(blocks, key=lambda b: (len(self._blocks[b]), b))]
        hits = Counter(chain.from_iterable(self._blocks[block] for block in usable))
        ranked = _top_hits(hits)
        m_cjk = has_cjk(normal)
        m_legal = legal_jurisdiction(name)
        m_tokens = () if m_cjk else distinct_latin_tokens(normal)
        out: dict[str, _Score] = {}
        for entity_id, _ in ranked:
            if not compatible(entity_id):
                continue
            best: _Score | None = None
            cjk_named = m_cjk and self._cjk_named(entity_id)
            for form in self._forms[entity_id]:
                if cjk_named and not form.cjk:
                    # A Chinese mention meets a candidate with a Chinese name through that name only:
                    # 中國科技大學 (China University of Technology) and USTC's English alias "China
                    # University of Science and Technology" render alike, the characters do not.
                    continue
                if m_cjk and form.cjk:
                    score, caps = _score_cjk(normal, form.normal)
                    if caps == ["subsidiary_or_same"] and self._candidates[entity_id].credit_code:
                        # 华信科技 vs the registered 华信科技（天津）有限公司: the registry is the
                        # authority on which firm the district has; without a code it stays a question
                        # (海航航空技术 and 海航航空技术（天津） are two firms).
                        score, caps = PLACE_SCORES["place_omitted"], ["place_omitted_registered"]
                else:
                    words = None if m_cjk or form.cjk else (m_tokens, form.tokens)
                    score, caps = _score_keys(
                        m_keys, form.keys, words, m_latin=not m_cjk, weak=m_weak | form.weak
                    )
                rule = "fuzzy"
                if not (m_cjk and form.cjk) and form.keys & m_keys:
                    score, rule = _latin_key_score(form, m_cjk, m_keys, m_weak), "latin_key"
                if m_legal and form.legal and m_legal != form.legal:
                    score, caps = min(score, LEGAL_FORM_CAP), [*caps, "legal_form_differs"]
                if best is None or score > best.score:
                    best = _Score(round(score, 2), form, rule, tuple(caps))
            if best is not None:
                out[entity_id] = best
        return out

    def _decide(
        self, name: str, scored: dict[str, _Score], label_hint: NodeLabel | None, base: dict[str, Any]
    ) -> LinkDecision:
        def adjusted(item: tuple[str, _Score]) -> float:
            entity_id, s = item
            wrong_label = label_hint is not None and self._candidates[entity_id].label != label_hint
            return s.score - (10.0 if wrong_label else 0.0)

        ranked = sorted(scored.items(), key=lambda kv: (-adjusted(kv), kv[0]))
        if not ranked or adjusted(ranked[0]) < self.review_threshold:
            evidence = {**base, "rule": "no_match", "suggestedLabel": classify_org(name).value}
            if ranked:
                evidence["bestCandidate"] = ranked[0][0]
                evidence["bestScore"] = adjusted(ranked[0])
            return LinkDecision(name, None, None, adjusted(ranked[0]) if ranked else 0.0, "new", evidence)
        entity_id, top = ranked[0]
        score = adjusted(ranked[0])
        evidence = {**base, "rule": top.rule, "field": top.form.field, "matched": top.form.text}
        if top.caps:
            evidence["caps"] = list(top.caps)
        status: LinkStatus = "linked" if score >= self.threshold else "review"
        if len(ranked) > 1 and score - adjusted(ranked[1]) < AMBIGUITY_MARGIN:
            evidence["alternatives"] = [i for i, _ in ranked[1:4]]
            evidence["reason"] = "ambiguous"
            status = "review"
        return self._decision(name, entity_id, score, status, evidence)

    def _decision(
        self, name: str, entity_id: str, score: float, status: LinkStatus, evidence: dict[str, Any]
    ) -> LinkDecision:
        label = self._candidates[entity_id].label
        return LinkDecision(
            name, entity_id, label, round(score, 2), status, {**evidence, "score": round(score, 2)}
        )
