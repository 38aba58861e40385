"""Text: the spaCy Chinese/English pipeline, graph-built gazetteers and term weighting."""
