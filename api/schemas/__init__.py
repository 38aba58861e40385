"""The API's request and response models, one module per area; import them from here.

Every public name of every area module is re-exported, so ``from api.schemas import EntityPublic``
works wherever it lives — including models a branch adds to an area module later. Routes import
schemas (and policy modules), never other routes (``.importlinter``).

The re-export is lazy (PEP 562): a name is looked up in the area modules on first use, and only
the modules up to the one that defines it are imported. Why: a warm ``innograph partners`` /
``match-demand`` call builds its answer with the matching models, and importing every area (the
cluster models pull in the cluster analytics, the parameter models FastAPI) was a third of that
call's time. Type checkers see the plain star imports below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from api.schemas.base import *  # noqa: F403
    from api.schemas.clusters import *  # noqa: F403
    from api.schemas.common import *  # noqa: F403
    from api.schemas.demands import *  # noqa: F403
    from api.schemas.entities import *  # noqa: F403
    from api.schemas.keys import *  # noqa: F403
    from api.schemas.labels import *  # noqa: F403
    from api.schemas.matching import *  # noqa: F403
    from api.schemas.params import *  # noqa: F403
    from api.schemas.plan import *  # noqa: F403
    from api.schemas.review import *  # noqa: F403

#: The area modules, cheapest first (a name is searched for in this order).
_AREAS = (
    "base",
    "labels",
    "common",
    "entities",
    "matching",
    "keys",
    "review",
    "demands",
    "plan",
    "params",
    "clusters",
)


def __getattr__(name: str) -> Any:
    if name.startswith("_"):
        raise AttributeError(name)
    for area in _AREAS:
        module = importlib.import_module(f"api.schemas.{area}")
        public = getattr(module, "__all__", None)
        if (name in public) if public is not None else hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value  # the next lookup is a plain module attribute
            return value
    raise AttributeError(f"module 'api.schemas' has no attribute {name!r}")
