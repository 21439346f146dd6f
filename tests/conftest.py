"""Shared pytest set-up for all test directories.

Some test modules import their helpers as `tests.<area>.<module>`. Make the `tests`
directory importable as that package WITHOUT putting the repository root on sys.path:
the root holds the source tree `pyshell/`, which would shadow the installed package
(with its compiled extension and loader stub) that the README's test command checks.
"""
from __future__ import annotations

import sys
import types
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent

if "tests" not in sys.modules:
    package = types.ModuleType("tests", __doc__)
    package.__path__ = [str(TESTS_DIR)]
    sys.modules["tests"] = package
