"""What a test needs from the machine (a tool, a service, a package): skipped on a laptop
without it, but a failure under CI, where every path must run.

CI counts as set for any true value of the variable, as CI services and people write it:
"true", "1", "yes", "on", "y", in any case and with spaces around it.
"""

import importlib
import os
from types import ModuleType
from typing import NoReturn

import pytest

TRUE_VALUES = frozenset({"true", "1", "yes", "on", "y"})


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in TRUE_VALUES


def missing(what: str) -> NoReturn:
    """`what` (what is missing) skips the test, or the module at import; under CI it fails."""
    __tracebackhide__ = True
    if in_ci():
        pytest.fail(f"CI is set but {what}: this path must run in CI", pytrace=False)
    # Reported at the test that skipped (as a skip in a fixture is), not at a helper's line;
    # a module skipped at import is reported at its import line (tracebackhide).
    raise pytest.skip.Exception(what, allow_module_level=True, _use_item_location=True)


def import_or_missing(module_name: str, install_hint: str) -> ModuleType:
    """pytest.importorskip, except that under CI a module that will not import fails."""
    __tracebackhide__ = True
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        reason = f"{module_name} cannot be imported ({error}; {install_hint})"
    missing(reason)  # outside the except: the failure is not chained to the ImportError
