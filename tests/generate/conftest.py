"""Generator tests. Under CI=true any skip here fails (tests/conftest.py): CI installs the
``test`` extra, which holds Pillow and h5py, so a skip would mean a test stopped testing."""
