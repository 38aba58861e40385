"""The demo generator does not leak future partners into the past (issue #12).

Projects dated 2006–2010 named partners whose co-patents start in 2010–2015, and transfers
came from them, so a time split at 2013 saw the answer on the training side.
"""

from __future__ import annotations

from demo.world import build_world


def test_projects_and_transfers_name_only_partners_active_that_year() -> None:
    world = build_world(1, 20101231)
    firms = {o.id: o for o in world.orgs.values() if o.partners}
    named = 0
    for project in world.projects:
        for partner in project.partners:
            named += 1
            assert firms[project.lead].partners[partner] <= project.year, project
    for transfer in world.transfers:
        first = world.orgs[transfer.target].partners.get(transfer.source)
        if first is not None:
            named += 1
            assert first <= transfer.year, transfer
    assert named > 50  # the rule is exercised, not vacuous
