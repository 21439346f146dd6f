"""logout: leave a login shell."""
from __future__ import annotations

from pyshell.builtins import builtin
from pyshell.interp.control import ExitShell


@builtin("logout")
def logout_builtin(sh, argv) -> int:
    if not getattr(sh.state, "login_shell", False):
        sh.error("logout: not login shell: use `exit'")
        return 1
    status = sh.state.last_status
    if len(argv) > 1:
        try:
            status = int(argv[1]) & 255
        except ValueError:
            sh.error(f"logout: {argv[1]}: numeric argument required")
            status = 2
    exc = ExitShell(status)
    exc.quiet = True   # unlike `exit`, bash prints no "logout" for it
    raise exc
