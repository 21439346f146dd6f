"""The launch seam: every external program the shell starts goes through `launch`.

Backends: the warm loader (pyshell._loader, issue 4) when it can serve the binary
safely, else posix_spawn. Both take the same LaunchRequest and return a pid that is a
direct child of the shell.
"""
from __future__ import annotations

from pyshell.launch.request import LaunchRequest  # noqa: F401
from pyshell.launch.spawn import spawn


def launch(req: LaunchRequest) -> int:
    return spawn(req)
