"""The API's request and response models, one module per area; import them from here.

Every public name of every area module is re-exported, so ``from api.schemas import EntityPublic``
works wherever it lives — including models a branch adds to an area module later (star imports on
purpose: this module is only the package's front door). Routes import schemas (and policy modules),
never other routes (``.importlinter``).
"""

from api.schemas.base import *  # noqa: F403
from api.schemas.clusters import *  # noqa: F403
from api.schemas.common import *  # noqa: F403
from api.schemas.demands import *  # noqa: F403
from api.schemas.entities import *  # noqa: F403
from api.schemas.keys import *  # noqa: F403
from api.schemas.matching import *  # noqa: F403
from api.schemas.params import *  # noqa: F403
from api.schemas.plan import *  # noqa: F403
from api.schemas.review import *  # noqa: F403
