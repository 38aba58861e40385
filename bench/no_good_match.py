"""How often the calibrated "no good match" answers on-topic free text and refuses off-topic text.

    INNOGRAPH_SHARED_DATA=/work/shared/data .venv/bin/python -m bench.no_good_match \\
        --demo /tmp/demo/graph.innograph patsnap lens tw

On-topic: the distinct titles of the ×1 demo (as they are, and with one word left out), and on
each real set the titles of the inventions the demand benchmark withholds (bench/demands_real.py,
300 holders, seed 0) posed to the graph of the rest. Off-topic: the fifteen demands below, none
about the sets' technologies (the Taiwan academic set spans every field, so some are not
off-topic there). A demand is "answered" when ``match_profile`` returns matches, not the notice.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import real_sets  # noqa: E402
from bench.demands_real import inventions, withhold  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from match.demands import chance_level, match_profile, text_profile  # noqa: E402
from match.index import MatchIndex  # noqa: E402
from text.pipeline import get_nlp, terms  # noqa: E402

OFF_TOPIC = (
    "果醋发酵工艺的菌种选育",
    "一种红烧肉的烹饪方法",
    "宠物狗美容修剪服务",
    "儿童英语培训课程设计",
    "中药饮片炮制工艺改进",
    "丝绸面料染色固色技术",
    "小麦高产栽培技术",
    "奶茶店连锁经营管理",
    "化妆品保湿面霜配方",
    "家具木材防虫处理",
    "How to bake a chocolate cake with butter and sugar",
    "A recipe for fermented fruit vinegar",
    "Hair salon booking and customer loyalty",
    "Organic fertiliser for rice paddies",
    "Knitting pattern for a woollen scarf",
)


def run(name: str, index: MatchIndex, on_topic: list[str]) -> None:
    t0 = time.perf_counter()
    level = chance_level(index)
    took = time.perf_counter() - t0

    def answered(text: str) -> bool:
        return match_profile(index, text_profile(index, text), limit=5).notice is None

    hits = sum(answered(t) for t in on_topic)
    off = [t for t in OFF_TOPIC if answered(t)]
    print(
        f"{name}: level {level:.3f} ({took:.2f} s); on-topic answered {hits}/{len(on_topic)} = "
        f"{hits / max(len(on_topic), 1):.3f}; off-topic answered {len(off)}/{len(OFF_TOPIC)} {off}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--demo", type=Path, help="an embedded graph file built by `innograph demo build`")
    parser.add_argument("sets", nargs="*", choices=sorted(real_sets.LOADERS))
    args = parser.parse_args(argv)
    nlp = get_nlp()
    if args.demo:
        index = MatchIndex.from_graph(EmbeddedStore(args.demo).projection(), nlp)
        titles = sorted({str(index.props(w).get("title")) for w in index.works if index.label[w] == "Patent"})
        rng = random.Random(0)
        dropped = []
        for title in titles:
            tokens = terms(None, title)
            if len(tokens) >= 3:
                tokens.pop(rng.randrange(len(tokens)))
                dropped.append("".join(tokens))
        run("demo, distinct titles", index, titles)
        run("demo, titles with one word left out", index, dropped)
    for name in args.sets:
        records = real_sets.LOADERS[name]()
        test, rest = withhold(records, inventions(records), holders=300, seed=0)
        index = MatchIndex.from_graph(real_sets.projection([records[i] for i in rest], inventors=False), nlp)
        run(f"{name}, withheld titles", index, [records[m[0]].title for m in test])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
