"""The extraction cache is keyed by the code of the map step only: modules listed as downstream
(the reduce and the exports) must not be imported by it, or editing them would change
extractions without invalidating the cache."""

from __future__ import annotations

import json
import subprocess
import sys

from kg.cache import _DOWNSTREAM


def test_the_map_step_imports_no_downstream_module():
    probe = (
        "import json, sys\n"
        "import kg.extract, kg.nlp, kg.sources\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('kg.'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = {name.removeprefix("kg.") + ".py" for name in json.loads(out.stdout)}
    assert "extract.py" in loaded and "mentions.py" in loaded
    assert not loaded & _DOWNSTREAM, sorted(loaded & _DOWNSTREAM)
