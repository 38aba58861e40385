"""The ingest specs for the demo's raw files, shipped as package data; ``generate`` copies them
(through ``importlib.resources``) next to the files it writes."""
