"""``innograph resolve FILE``: one decision per input, linked to the store and to each other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.store import GraphStore
from innograph_cli.main import app as cli
from tests.resolve.graph_fixture import resolver_graph

NAMES = [
    "天津大学",
    "UNIV TIANJIN",
    "南开大学",
    "UNIV NANKAI",
    "天津华信电子科技有限公司",
    "",
    "华信科技(天津)有限公司",
]


def _use(
    store: GraphStore, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point the command at the test's store through the environment, as a user would."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("INNOGRAPH_STORE", raising=False)
    if store.kind == "neo4j":
        monkeypatch.setenv("INNOGRAPH_STORE", "neo4j")
        monkeypatch.setenv("NEO4J_URI", request.getfixturevalue("neo4j_uri"))
    else:
        monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))  # the embedded fixture's file lives here


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.mark.slow  # opens its own connection to the store, as the command does
def test_resolve_links_to_the_store_and_clusters_the_rest(
    store: GraphStore, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.apply(resolver_graph())
    _use(store, request, tmp_path, monkeypatch)
    names = tmp_path / "names.txt"
    names.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["resolve", str(names)])  # JSON lines are the default
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    assert [line["input"] for line in lines] == [n for n in NAMES if n]  # blank lines are not inputs
    by_input = {line["input"]: line for line in lines}
    assert by_input["天津大学"]["entity"] == {"id": "uni:tju", "name": "天津大学", "type": "University"}
    assert by_input["UNIV TIANJIN"]["cluster"] == "uni:tju"
    assert by_input["华信科技(天津)有限公司"]["entity"]["id"] == "ent:hx"  # type: ignore[index]
    # Not in the store: no entity, but the two spellings of 南开大学 share a cluster.
    assert by_input["南开大学"]["entity"] is None
    assert by_input["南开大学"]["status"] == "new"
    assert by_input["UNIV NANKAI"]["cluster"] == by_input["南开大学"]["cluster"]
    assert by_input["天津华信电子科技有限公司"]["cluster"] not in {
        "ent:hx",
        "ent:hxdz",
        by_input["南开大学"]["cluster"],
    }
    assert set(lines[0]) >= {"input", "entity", "cluster", "score", "status"}


def test_resolve_reads_a_csv_column_in_gbk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("INNOGRAPH_STORE", raising=False)
    table = tmp_path / "members.csv"
    table.write_bytes(
        "序号,单位名称\n1,天津市华信科技有限公司\n2,华信科技（天津）有限公司\n3,天津华信电子有限公司\n".encode(
            "gbk"
        )
    )
    result = CliRunner().invoke(cli, ["resolve", str(table), "--column", "单位名称", "--json"])
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    # 华信科技（天津） is 天津华信科技 with its place written after the trade name: linked, not exact.
    assert [line["status"] for line in lines] == ["new", "linked", "new"]
    assert lines[0]["cluster"] == lines[1]["cluster"] != lines[2]["cluster"]


def test_resolve_without_store_and_as_a_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOGRAPH_STORE", "neo4j")  # would fail if the store were opened
    monkeypatch.delenv("NEO4J_URI", raising=False)
    names = tmp_path / "names.txt"
    names.write_text("Tianjin University\nUNIV TIANJIN\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["resolve", str(names), "--no-store", "--table"])
    assert result.exit_code == 0, result.output
    assert "UNIV TIANJIN" in result.stdout and "linked" in result.stdout
    assert not result.stdout.lstrip().startswith("{")  # a table, not JSON lines


def test_resolve_prints_one_json_line_per_input_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: the issue asks for one JSON line per input; the table used to be the default."""
    monkeypatch.setenv("INNOGRAPH_STORE", "neo4j")  # would fail if the store were opened
    monkeypatch.delenv("NEO4J_URI", raising=False)
    names = tmp_path / "names.txt"
    names.write_text("Tianjin University\n\nUNIV TIANJIN\n天津商业大学\n", encoding="utf-8")
    default = CliRunner().invoke(cli, ["resolve", str(names), "--no-store"])
    assert default.exit_code == 0, default.output
    lines = [json.loads(line) for line in default.stdout.splitlines()]  # every line is JSON
    assert [line["input"] for line in lines] == ["Tianjin University", "UNIV TIANJIN", "天津商业大学"]
    assert lines[1]["status"] == "linked" and lines[1]["cluster"] == lines[0]["cluster"]
    assert lines[2]["cluster"] != lines[0]["cluster"]
    explicit = CliRunner().invoke(cli, ["resolve", str(names), "--no-store", "--json"])
    assert explicit.stdout == default.stdout  # --json still works and means the same


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("序号,单位名称\n1,天津大学\n", ["--column", "名称"], "no column '名称'; columns: 序号, 单位名称"),
        ("序号,单位名称\n1,天津大学\n", [], "name one with --column"),
    ],
)
def test_resolve_errors_name_the_file_and_the_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, args: list[str], message: str
) -> None:
    monkeypatch.setenv("INNOGRAPH_DATA_DIR", str(tmp_path))
    table = tmp_path / "list.csv"
    table.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["resolve", str(table), "--no-store", *args])
    assert result.exit_code == 1
    assert "list.csv" in result.output
    assert message in " ".join(result.output.split())


def test_resolve_rejects_inverted_thresholds(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("天津大学\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["resolve", str(names), "--no-store", "--threshold", "70", "--review", "80"]
    )
    assert result.exit_code == 1
    assert "review_threshold" in result.output
