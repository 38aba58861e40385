"""Technology demands (技术需求): post one, list the open ones, and rank who can solve one."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response, status

from analytics import cache as analytics_cache
from api import idempotency
from api.dependencies import StoreDep
from api.schemas import (
    DemandCreate,
    DemandMatchesPublic,
    DemandUpdate,
    EntityPublic,
    Limit,
    Offset,
    Page,
    demand_matches_public,
    entity_public,
    parse_types,
    require_label,
)
from api.security import KeyStore, Principal, PrincipalDep, Role, require_role
from graph.changeset import ChangeSet
from graph.errors import NotFoundError, ValidationError
from graph.model import ORGANIZATION_LABELS, NodeLabel, RelType, make_id
from match.cache import current, index_for, stored_nodes
from match.demands import DEFAULT_SOLVER_TYPES, match_demand
from match.ipc import main_group, normalize_ipc, subclass

router = APIRouter(prefix="/api/v1/demands", tags=["demands"])


def _demand_id(body: DemandCreate, secret: str) -> str:
    """The same poster key posting the same demand again updates one node instead of adding two;
    the id is keyed with a value only the server holds (the key's hash), so it cannot be
    worked out from the public fields, and another key's demand is never the same node."""
    key = "\x1f".join([body.poster or "", body.title, body.description])
    digest = hmac.new(secret.encode(), key.encode(), hashlib.sha256).hexdigest()[:16]
    return make_id(NodeLabel.TECH_DEMAND, digest)


def _keys(request: Request) -> KeyStore:
    keys: KeyStore = request.app.state.keys
    return keys


def _ipc_codes(codes: list[str]) -> list[str]:
    out = []
    for raw in codes:
        code = normalize_ipc(raw)
        if code is None:
            raise ValidationError(f"ipcCodes: {raw!r} is not an IPC code (e.g. F21V29/00)", field="ipcCodes")
        out.append(code)
    return sorted(set(out))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Post a technology demand (editor key)",
    responses={
        401: {"description": "no API key"},
        403: {"description": "the key may not write"},
        422: {"description": "invalid demand, or an Idempotency-Key already used for another request"},
    },
)
def post_demand(
    request: Request,
    response: Response,
    store: StoreDep,
    body: DemandCreate,
    principal: Annotated[Principal, require_role(Role.EDITOR)],
    idempotency_key: Annotated[
        str | None,
        Header(
            alias=idempotency.HEADER,
            description="any unique string (a UUID): a retry with the same key and body returns the "
            "first result and writes nothing; the same key with another body is a 422",
        ),
    ] = None,
) -> EntityPublic:
    key = idempotency.parse_key(idempotency_key)
    codes = _ipc_codes(body.ipcCodes)
    poster = store.get_node(body.poster) if body.poster else None
    if body.poster and poster is None:
        raise ValidationError(f"poster: no entity with id {body.poster!r}", field="poster")
    if poster is not None and poster.label not in ORGANIZATION_LABELS | {NodeLabel.PERSON}:
        raise ValidationError(
            f"poster: {poster.id} is a {poster.label.value}; demands are posted by organisations or people",
            field="poster",
        )
    owner = str(principal.key_id)
    secret = _keys(request).secret(owner)
    if secret is None:  # verified a moment ago: the key file changed under us
        raise HTTPException(401, "the API key is unknown or revoked")
    if key is None:
        demand_id = _demand_id(body, secret)
    else:
        # The key names the demand: whatever happened to the first attempt, a retry finds it
        # exactly when it was committed (api/idempotency.py).
        demand_id = make_id(NodeLabel.TECH_DEMAND, idempotency.keyed_digest(secret, key))
        digest = idempotency.request_digest(body)
    existing = store.get_node(demand_id)
    if key is not None and existing is not None:
        idempotency.check_replay(key, existing.props.get(idempotency.DIGEST_PROPERTY), digest)
        response.headers[idempotency.REPLAYED_HEADER] = "true"
        return entity_public(existing, financials=principal.sees_financials)
    today = datetime.now(UTC).date().isoformat()
    props: dict[str, object] = {
        "id": demand_id,
        "title": body.title,
        "description": body.description,
        "keywords": body.keywords,
        "ipcCodes": codes,
        "industryCodes": body.industryCodes,
        # Posting again updates the demand but never reopens it: only PATCH by the owner does.
        "status": str(existing.props.get("status") or "open") if existing else "open",
        "postedDate": str(existing.props.get("postedDate") or today) if existing else today,
        "owner": owner,
        "sources": ["api"],
        "records": [f"api#{today}"],
    }
    if body.budget is not None:
        props["budget"] = body.budget
    if body.mode is not None:
        props["mode"] = body.mode
    if key is not None:
        props[idempotency.DIGEST_PROPERTY] = digest  # committed with the demand, in one write
    cs = ChangeSet()
    cs.add_node(NodeLabel.TECH_DEMAND, props)
    target = (NodeLabel.TECH_DEMAND, demand_id)
    if poster is not None:
        cs.add_relationship(RelType.POSTED, (poster.label, poster.id), target, {"date": today})
    # Link the classification and industry nodes the graph has, so evidence paths can use them.
    wanted = {f"ipc:{c}" for code in codes for c in (code, main_group(code), subclass(code)) if c}
    wanted |= {v for code in body.industryCodes for v in (code, f"industry:{code}")}
    for node in store.get_nodes(sorted(wanted)):
        if node.label == NodeLabel.IPC:
            cs.add_relationship(RelType.CLASSIFIED_AS, target, (NodeLabel.IPC, node.id))
        elif node.label == NodeLabel.INDUSTRY:
            cs.add_relationship(RelType.IN_INDUSTRY, target, (NodeLabel.INDUSTRY, node.id))
    before = store.version()
    store.apply(cs)
    # Demands are not in the analysis projection (analytics.projection), so the cached
    # clusters and monitor still hold: carry them over instead of recomputing them (~3 s).
    analytics_cache.carry_forward(store, before, store.version())
    created = store.get_node(demand_id)
    if created is None:  # the write succeeded, so this is a store fault, not the caller's
        raise RuntimeError(f"{demand_id} was written but cannot be read back")
    return entity_public(created, financials=principal.sees_financials)


@router.patch(
    "/{demand_id}",
    summary="Change one's own demand: close, reopen, keywords, budget, mode (its poster's key)",
    responses={
        401: {"description": "no API key"},
        403: {"description": "not the key that posted the demand"},
        404: {"description": "no such demand"},
    },
)
def update_demand(
    store: StoreDep,
    demand_id: str,
    body: DemandUpdate,
    principal: Annotated[Principal, require_role(Role.EDITOR)],
) -> EntityPublic:
    node = store.get_node(demand_id)
    if node is None or node.label != NodeLabel.TECH_DEMAND:
        raise NotFoundError(f"no TechDemand with id {demand_id[:80]!r}")
    owner = node.props.get("owner")
    if owner != principal.key_id and principal.role < Role.ADMIN:
        raise HTTPException(403, "only the key that posted this demand (or an admin) may change it")
    props: dict[str, object] = {"id": demand_id}
    for field in ("status", "keywords", "budget", "mode"):
        value = getattr(body, field)
        if value is not None:
            props[field] = value
    cs = ChangeSet()
    cs.add_node(NodeLabel.TECH_DEMAND, props)
    before = store.version()
    store.apply(cs)
    analytics_cache.carry_forward(store, before, store.version())
    changed = store.get_node(demand_id)
    if changed is None:
        raise RuntimeError(f"{demand_id} was written but cannot be read back")
    return entity_public(changed, financials=principal.sees_financials)


@router.get("", summary="Technology demands (open by default), newest first")
def list_demands(
    store: StoreDep,
    principal: PrincipalDep,
    status: Annotated[Literal["open", "closed", "all"], Query(description="which demands")] = "open",
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[EntityPublic]:
    # The match index when it is current (no store round trip beyond version() and one read of
    # the page's nodes), else the store: a demand just posted is listed at once either way.
    index = current(store)
    if index is not None:
        demands = [index.node(d) for d in index.of_label(NodeLabel.TECH_DEMAND)]
    else:
        demands = store.nodes(NodeLabel.TECH_DEMAND)
    if status != "all":
        wanted_open = status == "open"
        demands = [d for d in demands if (str(d.props.get("status") or "open") != "closed") == wanted_open]
    # Newest first; the sort is stable, so demands posted the same day stay in id order.
    demands.sort(key=lambda d: str(d.props.get("postedDate") or ""), reverse=True)
    page = demands[offset : offset + limit]
    if index is not None:  # the index keeps a demand's texts, status and date: the page whole from the store
        whole = stored_nodes(store)([d.id for d in page])
        page = [whole.get(d.id) or d for d in page]
    items = [entity_public(d, financials=principal.sees_financials) for d in page]
    return Page[EntityPublic](items=items, total=len(demands), offset=offset, limit=limit)


@router.get("/{demand_id}", summary="One technology demand")
def get_demand(store: StoreDep, principal: PrincipalDep, demand_id: str) -> EntityPublic:
    node = store.get_node(demand_id)
    if node is None or node.label != NodeLabel.TECH_DEMAND:
        raise NotFoundError(f"no TechDemand with id {demand_id!r}")
    return entity_public(node, financials=principal.sees_financials)


@router.get(
    "/{demand_id}/matches",
    summary="Rank patents, achievements, experts and institutions that can solve a demand",
)
def get_demand_matches(
    store: StoreDep,
    principal: PrincipalDep,
    demand_id: str,
    limit: Limit = 10,
    offset: Offset = 0,
    type: Annotated[
        list[str] | None,
        Query(
            description="solver types: Patent, TechAchievement, Person, "
            "University, ResearchInstitute, Enterprise"
        ),
    ] = None,
) -> DemandMatchesPublic:
    index = index_for(store, wait=False, require=[demand_id])
    require_label(index, demand_id, NodeLabel.TECH_DEMAND)
    result = match_demand(
        index, demand_id, types=parse_types(type, DEFAULT_SOLVER_TYPES), limit=limit, offset=offset
    )
    return demand_matches_public(
        index,
        result,
        offset=offset,
        limit=limit,
        financials=principal.sees_financials,
        entities=stored_nodes(store),
    )
