"""The one wire style: JSON field names in camelCase (docs/API.md), Python names in snake_case.

Models that map analytics results (``analytics`` dataclasses) derive from :class:`ApiModel`: the
alias generator writes ``store_version`` as ``storeVersion``, and ``from_attributes`` lets a model
be validated straight from a dataclass whose fields have the same names, so a mapping function
spells out only what it changes (withheld figures, the store version).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)
