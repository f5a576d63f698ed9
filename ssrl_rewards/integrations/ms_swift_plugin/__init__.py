"""Holds ms-swift's plugin file alone in its directory (ms-swift puts it on ``sys.path``)."""
