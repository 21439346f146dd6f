# cython: language_level=3
"""Native launch backends. The warm loader lands here (see issue 4)."""

def warm_available():
    return False
