"""Command groups of the ``konvergensi`` command line; each module has ``register(app)``."""
