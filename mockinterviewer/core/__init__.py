"""The Qt-free core: question banks, the practice session, scoring.

Nothing under this package imports Qt or an audio library; ``tests/test_architecture.py``
checks that, so the core can be used (and tested) from the CLI or any other front end.
"""
