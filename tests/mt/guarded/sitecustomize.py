"""Put this folder on PYTHONPATH to run a Python process under the tests' network guard.

Attempts are appended to the file named by SSOC_NETGUARD_LOG.
"""

import importlib.util
import os
from pathlib import Path

_log = os.environ.get("SSOC_NETGUARD_LOG")
if _log:
    _spec = importlib.util.spec_from_file_location(
        "ssoc_netguard", Path(__file__).resolve().parent.parent / "netguard.py"
    )
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
    _module.Guard(_log).install()
