"""Evidence for a partner suggestion: one builder per signal, each returning graph paths.

Paths are walked along relationships that exist in the index's projection (see
:class:`match.evidence.PathBuilder`), so what the page draws is what the graph holds.
Summaries are short Chinese sentences a broker can read out to the firm.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from scipy import sparse

from graph.model import NodeLabel, RelType
from graph.regions import hierarchy, is_region_code
from match.evidence import EvidencePath, PathBuilder
from match.index import TIE_PRIORITY, MatchIndex
from match.signals import Proximity

L = NodeLabel
R = RelType

#: How many paths of one kind to show: enough to convince, few enough to read.
MAX_PATHS: Final = 3
#: Ways an actor holds a work, in the order they are tried.
HOLDS: Final = (R.APPLIED_FOR, R.OFFERS, R.UNDERTOOK, R.INVENTED)
_WORK_NOUN: Final = {L.PATENT: "专利", L.TECH_ACHIEVEMENT: "成果", L.PROJECT: "项目", L.TECH_DEMAND: "需求"}


def hold(index: MatchIndex, actor: str, work: str) -> PathBuilder:
    """actor → work along whichever holding relationship exists."""
    for rel in HOLDS:
        if index.has_edge(actor, work, rel):
            return PathBuilder(index.adjacency, actor).hop(rel, work)
    raise KeyError(f"{actor} does not hold {work}")


def _held_by(index: MatchIndex, actor: str, work: str) -> RelType:
    """How ``actor`` is tied to ``work`` for an inventor tie: as its inventor, else as a holder."""
    for rel in (R.INVENTED, *HOLDS):
        if index.has_edge(actor, work, rel):
            return rel
    raise KeyError(f"{actor} is not tied to {work}")


def segment(index: MatchIndex, a: str, b: str) -> tuple[PathBuilder, str] | None:
    """The graph path behind the tie a–b, and its kind (strongest kind first)."""
    tie = index.tie(a, b)
    if tie is None:
        return None
    for kind in TIE_PRIORITY:
        if kind not in tie.via:
            continue
        via = sorted(tie.via[kind])[0]
        path = PathBuilder(index.adjacency, a)
        if kind == "coapplication":
            path.hop(R.APPLIED_FOR, via).hop(R.APPLIED_FOR, b)
        elif kind == "project":
            path.hop(R.UNDERTOOK, via).hop(R.UNDERTOOK, b)
        elif kind == "inventor":
            # Inventor on one end, holder on the other; a person can be either (an individual
            # applicant is a Person holding by APPLIED_FOR), so follow the edge that exists.
            path.hop(_held_by(index, a, via), via).hop(_held_by(index, b, via), b)
        elif kind == "transfer":
            path.hop(R.TRANSFERRED_TO, b)
        elif kind == "affiliation":
            path.hop(R.AFFILIATED_WITH, b)
        else:  # member
            rel = (
                R.MEMBER_OF
                if index.has_edge(a, b, R.MEMBER_OF) or index.has_edge(b, a, R.MEMBER_OF)
                else R.AFFILIATED_WITH
            )
            path.hop(rel, b)
        return path, kind
    return None


_DIRECT_SUMMARY: Final = {
    "coapplication": "已与{c}共同申请专利 {n} 件",
    "project": "已与{c}共同承担项目 {n} 项",
    "inventor": "{c}是企业专利的发明人",
    "transfer": "{c}与企业之间已有技术转让",
    "affiliation": "{c}任职于该单位",
}
_VIA_SUMMARY: Final = {
    "coapplication": "共同合作伙伴{z}：与双方都共同申请过专利",
    "project": "共同合作伙伴{z}：与双方都共同承担过项目",
    "inventor": "共同发明人{z}：与双方都有专利关系",
    "transfer": "共同合作伙伴{z}：与双方都有技术转让",
    "affiliation": "共同关联人员{z}",
    "member": "同属{z}",
}


def network_paths(index: MatchIndex, firm: str, candidate: str, prox: Proximity) -> list[EvidencePath]:
    paths = []
    direct = segment(index, firm, candidate)
    if direct is not None and direct[1] != "member":
        path, kind = direct
        tie = index.tie(firm, candidate)
        n = len(tie.via[kind]) if tie else 0
        paths.append(path.build("network", _DIRECT_SUMMARY[kind].format(c=index.name(candidate), n=n)))
    for z in prox.common.get(candidate, [])[:MAX_PATHS]:
        first = segment(index, firm, z)
        second = segment(index, z, candidate)
        if first is None or second is None:
            continue
        kind = "member" if index.label[z] == L.ALLIANCE else second[1]
        summary = _VIA_SUMMARY[kind].format(z=index.name(z))
        paths.append(first[0].extend(second[0]).build("network", summary))
    return paths


def _best_code(index: MatchIndex, firm: str, candidate: str) -> tuple[str, str] | None:
    """The most telling classification the two share: a main group if any, else a subclass."""
    for level, firm_profile, cand_profile, vocab, idf in (
        ("group", index.actor_grp[firm], index.actor_grp[candidate], index.grp_vocab, index.grp_idf),
        ("subclass", index.actor_sub[firm], index.actor_sub[candidate], index.sub_vocab, index.sub_idf),
    ):
        shared = set(firm_profile) & set(cand_profile)
        if shared:
            code = max(sorted(shared), key=lambda c: firm_profile[c] * cand_profile[c] * idf[vocab[c]])
            return level, code
    return None


def _own_works(index: MatchIndex, actor: str) -> np.ndarray:
    """The positions of ``actor``'s works that can show its technology (demands excluded), in
    the order of its works: read from the index's arrays, where a list of a university's
    thousands of works was built again for each evidence path (docs/benchmarks/matchmaking.md)."""
    return index.actor_terms.work_positions(index.actor_pos[actor])


def _classified_under(index: MatchIndex, level: str, code: str) -> np.ndarray:
    """The positions of the works with a code in ``code`` (a main group or a subclass), sorted:
    the works whose IPC vector has that column. A work's vector holds every code of the work,
    each weight positive (IDF ≥ 1), so this is the works that have it — no code parsed per work.
    The vectors by code (columns) are kept in the index's memo, built on the first use."""
    key = ("works-by-ipc", level)
    by_code = index.memo.get(key)
    if not isinstance(by_code, sparse.csc_matrix):
        by_code = (index.work_grp_m if level == "group" else index.work_sub_m).tocsc()
        by_code.sort_indices()
        index.memo[key] = by_code
    column = (index.grp_vocab if level == "group" else index.sub_vocab).get(code)
    if column is None:
        return np.zeros(0, dtype=by_code.indices.dtype)
    found: np.ndarray = by_code.indices[by_code.indptr[column] : by_code.indptr[column + 1]]
    return found


def _works_with(index: MatchIndex, actor: str, level: str, code: str) -> list[str]:
    """``actor``'s works (demands excluded) with a code in ``code``, in the order of its works."""
    mine = _own_works(index, actor)
    under = _classified_under(index, level, code)
    if not len(mine) or not len(under):
        return []
    # Membership by bisection in the sorted column (np.isin sorted or tabled both every call).
    at = np.minimum(np.searchsorted(under, mine), len(under) - 1)
    return [index.works[j] for j in mine[under[at] == mine].tolist()]


def technology_paths(
    index: MatchIndex, firm: str, candidate: str, work_sims: np.ndarray
) -> list[EvidencePath]:
    """IPC overlap (a drawable path through a shared IPC node when there is one) and wording.

    ``work_sims``: text similarity of every work in the index to the firm's profile.
    """
    paths: list[EvidencePath] = []
    best = _best_code(index, firm, candidate)
    if best is not None:
        level, code = best
        theirs = _works_with(index, candidate, level, code)
        ours = _works_with(index, firm, level, code)
        noun = "分类" + ("组" if level == "group" else "小类")
        summary = (
            f"{index.name(candidate)}在 IPC {noun} {code} 有 {len(theirs)} 项专利或成果，"
            f"企业在此有 {len(ours)} 项"
        )
        shared_node = _shared_ipc_node(index, ours, theirs, code)
        if shared_node is not None:
            ours_w, ipc_node, theirs_w = shared_node
            path = hold(index, firm, ours_w).hop(R.CLASSIFIED_AS, ipc_node).hop(R.CLASSIFIED_AS, theirs_w)
            path.extend(_reverse_hold(index, candidate, theirs_w))
            paths.append(path.build("technology", summary))
        elif theirs:
            paths.append(hold(index, candidate, theirs[0]).build("technology", summary))
    text_path = _text_path(index, firm, candidate, work_sims)
    if text_path is not None:
        paths.append(text_path)
    return paths


def _reverse_hold(index: MatchIndex, actor: str, work: str) -> PathBuilder:
    for rel in HOLDS:
        if index.has_edge(actor, work, rel):
            return PathBuilder(index.adjacency, work).hop(rel, actor)
    raise KeyError(f"{actor} does not hold {work}")


def _shared_ipc_node(
    index: MatchIndex, ours: list[str], theirs: list[str], code: str
) -> tuple[str, str, str] | None:
    """A work of each side classified under the same IPC node (a drawable 4-hop path)."""
    mine = {ipc: w for w in reversed(ours) for ipc in index.out(w, R.CLASSIFIED_AS)}
    for w in theirs:
        for ipc in index.out(w, R.CLASSIFIED_AS):
            if (
                ipc in mine
                and code.startswith(str(index.props(ipc).get("code") or "")[:4])
                and mine[ipc] != w
            ):
                return mine[ipc], ipc, w
    return None


def _text_path(index: MatchIndex, firm: str, candidate: str, work_sims: np.ndarray) -> EvidencePath | None:
    works = _own_works(index, candidate)
    if len(works):
        sims = work_sims[works]
        best = int(sims.argmax())
        if sims[best] <= 0:
            return None
        work = index.works[int(works[best])]
        shared = index.shared_terms(
            index.actor_terms[index.actor_pos[firm]], index.work_terms[index.work_pos[work]]
        )
        noun = _WORK_NOUN.get(index.label[work], "成果")
        summary = f"{noun}《{index.name(work)}》与企业的技术相近：{'、'.join(shared)}"
        return hold(index, candidate, work).build("technology", summary)
    shared = index.shared_terms(
        index.actor_terms[index.actor_pos[firm]], index.actor_terms[index.actor_pos[candidate]]
    )
    if not shared:
        return None
    return PathBuilder(index.adjacency, candidate).build(
        "technology", f"研究方向与企业相近：{'、'.join(shared)}"
    )


def complementarity_paths(
    index: MatchIndex, firm: str, candidate: str, demand: str | None
) -> list[EvidencePath]:
    if demand is None:
        return []
    posted = PathBuilder(index.adjacency, firm).hop(R.POSTED, demand)
    gap = sorted({c[:4] for c in index.work_ipc[demand]} - set(index.actor_sub[firm]))
    where = f"（{'、'.join(gap)}，企业在此没有专利）" if gap else ""
    paths = [posted.build("complementarity", f"企业的技术需求《{index.name(demand)}》{where}")]
    rows = _own_works(index, candidate)
    if len(rows):
        j = index.work_pos[demand]
        sims = (
            (
                0.5 * (index.work_text_m[rows] @ index.work_text_m[j].T)
                + 0.5 * (index.work_sub_m[rows] @ index.work_sub_m[j].T)
            )
            .toarray()
            .ravel()
        )
        best = int(sims.argmax())
        if sims[best] > 0:
            work = index.works[int(rows[best])]
            summary = f"{index.name(candidate)}的《{index.name(work)}》可回应该需求"
            paths.append(hold(index, candidate, work).build("complementarity", summary))
    return paths


def track_paths(index: MatchIndex, candidate: str) -> list[EvidencePath]:
    paths = []
    transferred = [f for f in index.out(candidate, R.TRANSFERRED_TO) if index.label.get(f) == L.ENTERPRISE]
    for firm in transferred[:MAX_PATHS]:
        summary = f"曾向{index.name(firm)}转让技术"
        paths.append(
            PathBuilder(index.adjacency, candidate).hop(R.TRANSFERRED_TO, firm).build("track_record", summary)
        )
    for firm in index.track_via.get(candidate, [])[: max(0, MAX_PATHS - len(paths))]:
        if firm in transferred:
            continue
        found = segment(index, candidate, firm)
        if found is not None:
            paths.append(found[0].build("track_record", f"与科技型中小企业{index.name(firm)}有合作"))
    return paths


def geography_paths(index: MatchIndex, firm: str, candidate: str) -> list[EvidencePath]:
    hosts = index.affiliations.get(candidate, []) if index.label[candidate] == L.PERSON else [candidate]
    for host in hosts:
        for rel, places in ((R.LOCATED_IN, index.parks), (R.IN_REGION, index.region_nodes)):
            shared = sorted(set(places.get(firm, [])) & set(places.get(host, [])))
            if shared:
                place = shared[0]
                path = PathBuilder(index.adjacency, firm).hop(rel, place).hop(rel, host)
                if host != candidate:
                    path.hop(R.AFFILIATED_WITH, candidate)
                return [path.build("geography", f"同在{index.name(place)}")]
    if index.geography(firm, candidate) > 0:
        by_address = (index.cities[firm] - index.name_cities.get(firm, set())) & (
            index.cities[candidate] - index.name_cities.get(candidate, set())
        )
        from_name = sorted(index.cities[firm] & index.cities[candidate])
        if from_name and not by_address and not (index.regions[firm] & index.regions[candidate]):
            # A city read from an organisation's name, not an address (match/places.py): say so.
            code = from_name[0]
            where = (hierarchy().name(code) if is_region_code(code) else None) or code
            return [
                PathBuilder(index.adjacency, candidate).build(
                    "geography", f"同在{where}（城市据机构名称中的地名推断，非登记地址）"
                )
            ]
        shared_codes = sorted(index.regions[firm] & index.regions[candidate]) or sorted(
            index.cities[firm] & index.cities[candidate]
        )
        where = shared_codes[0] if shared_codes else ""
        return [PathBuilder(index.adjacency, candidate).build("geography", f"同在行政区划 {where}")]
    return []
