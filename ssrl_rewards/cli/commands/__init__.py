"""The built-in commands. Each module exposes ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``: the same protocol as the commands other packages plug in."""
