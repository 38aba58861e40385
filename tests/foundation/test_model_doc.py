"""docs/MODEL.md lists every property of every label, generated from graph/model.py."""

from __future__ import annotations

from graph import model_doc
from graph.model import NODE_PROPERTIES, REL_SPECS


def test_model_doc_is_current() -> None:
    """Fails when graph/model.py changed and `python -m graph.model_doc` was not run."""
    assert model_doc.main(["--check"]) == 0, "docs/MODEL.md is stale: run `python -m graph.model_doc`"


def test_every_property_of_every_label_is_in_the_doc() -> None:
    text = model_doc.DOC.read_text(encoding="utf-8")
    section = text.split(model_doc.START, 1)[1].split(model_doc.END, 1)[0]
    for label, props in NODE_PROPERTIES.items():
        block = section.split(f"#### `{label.value}`", 1)[1].split("####", 1)[0]
        for name, kind in props.items():
            assert f"| `{name}` | {kind} |" in block, (label.value, name)
    for rel, spec in REL_SPECS.items():
        assert f"| `{rel.value}` |" in section
        for name in spec.properties:
            assert f"`{name}`" in section


def test_the_check_sees_a_stale_doc() -> None:
    current = model_doc.DOC.read_text(encoding="utf-8")
    stale = current.replace("| `creditCode` | str |\n", "", 1)
    assert stale != current
    assert model_doc.updated(stale) == current
