"""The demo data set: a deterministic, scalable district calibrated to the Dongli plan (2010).

``generate(out, scale=1, seed=…)`` writes raw exports, their ground truth and the ingest specs
that load them; see ``docs/DEMO_DATA.md``.
"""

from demo.generate import GenerationResult, generate

__all__ = ["GenerationResult", "generate"]
