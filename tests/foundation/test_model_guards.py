"""What the model lets into a store, checked without one: bad properties name their field,
unknown labels and types are refused, and Cypher templates take only the model's identifiers.
(Moved out of tests/contract, which holds only what runs against both stores.)"""

from __future__ import annotations

import pytest

from graph.changeset import ChangeSet
from graph.errors import ValidationError
from graph.model import MAX_STRING_CHARS
from graph.model import NodeLabel as L
from graph.model import RelType as R


@pytest.mark.parametrize(
    ("label", "props", "field"),
    [
        (L.ENTERPRISE, {"name": "无编号企业"}, "id"),
        (L.ENTERPRISE, {"id": "ent:x", "employees": "many"}, "employees"),
        (L.ENTERPRISE, {"id": "ent:x", "revenue": float("nan")}, "revenue"),
        (L.ENTERPRISE, {"id": "ent:x", "techSme": "yes"}, "techSme"),
        (L.ENTERPRISE, {"id": "ent:x", "colour": "red"}, "colour"),
        (L.PATENT, {"id": "patent:x", "abstract": "长" * (MAX_STRING_CHARS + 1)}, "abstract"),
        (L.PATENT, {"id": "patent:x", "ipcCodes": "H01L"}, "ipcCodes"),
        (L.PATENT, {"id": "x" * 300}, "id"),
    ],
)
def test_bad_input_names_the_field(label: L, props: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        ChangeSet().add_node(label, props)
    assert err.value.field == field
    assert field in str(err.value)


def test_unknown_label_and_type_are_refused() -> None:
    from graph.validation import parse_label, parse_rel_type

    with pytest.raises(ValidationError, match="unknown label 'Enterprise\\) DETACH DELETE n//'"):
        parse_label("Enterprise) DETACH DELETE n//")
    with pytest.raises(ValidationError, match="unknown relationship type"):
        parse_rel_type("KNOWS")
    with pytest.raises(ValidationError, match="cannot connect Patent to Enterprise"):
        ChangeSet().add_relationship(R.APPLIED_FOR, (L.PATENT, "patent:1"), (L.ENTERPRISE, "ent:1"))


def test_render_accepts_only_model_identifiers() -> None:
    from graph.cypher_catalog import render

    text = render("merge_relationships", start_label=L.PERSON, end_label=L.PATENT, rel_type=R.INVENTED)
    assert "(a:`Person` {id: row.start})" in text and "[r:`INVENTED`]" in text
    with pytest.raises(ValueError, match="not a label"):
        render(
            "merge_relationships",
            start_label="Person`) DETACH DELETE a //",
            end_label=L.PATENT,
            rel_type=R.INVENTED,
        )
    with pytest.raises(KeyError, match="REL_TYPE"):
        render("merge_relationships", start_label=L.PERSON, end_label=L.PATENT)
