"""The ``innograph`` command line."""
