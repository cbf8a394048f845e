"""Where the `attrition` command is: the wheel installs it beside the Python interpreter's
scripts (as ruff's and uv's wheels do), and ATTRITION_BIN overrides that for development
(a `cargo build` in a clone: ATTRITION_BIN=target/release/attrition)."""

from __future__ import annotations

import os
import sys
import sysconfig

from .errors import BinaryNotFoundError

ENV = "ATTRITION_BIN"


def _candidates() -> list[str]:
    exe = "attrition" + (sysconfig.get_config_var("EXE") or "")
    dirs = [sysconfig.get_path("scripts")]
    # `pip install --user`: the user scheme's scripts.
    if sys.version_info >= (3, 10):
        user = sysconfig.get_preferred_scheme("user")
    elif os.name == "nt":
        user = "nt_user"
    elif sys.platform == "darwin" and getattr(sys, "_framework", None):
        user = "osx_framework_user"
    else:
        user = "posix_user"
    dirs.append(sysconfig.get_path("scripts", scheme=user))
    # `pip install --target DIR`: DIR/bin beside DIR/attrition.
    dirs.append(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin"))
    # A virtual environment used without activation: its interpreter's own folder.
    dirs.append(os.path.dirname(sys.executable))
    return [os.path.join(d, exe) for d in dirs if d]


def binary() -> str:
    """The path of the `attrition` command this package runs.

    ``$ATTRITION_BIN`` when set (it must be a file), else the command the wheel installed
    beside the interpreter's scripts. Raises :class:`BinaryNotFoundError` when there is
    none: the package was installed without its wheel's command, or ATTRITION_BIN is wrong.
    """
    override = os.environ.get(ENV)
    if override:
        if not os.path.isfile(override):
            raise BinaryNotFoundError(
                f"{ENV}={override!r} is not a file; point it at a built attrition binary "
                "(for example target/release/attrition after `cargo build --release`) or unset it"
            )
        return override
    tried = _candidates()
    for path in tried:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise BinaryNotFoundError(
        "the attrition command is not installed beside this Python (looked in: "
        + ", ".join(tried)
        + "); install the package with `pip install .` from a clone of the repository, "
        f"or set {ENV} to a built binary"
    )
