"""The test suite (a package, so `tests.strategies` never resolves to another distribution's
top-level `tests` package, such as the one verl installs)."""
