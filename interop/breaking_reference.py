"""The reference verdicts of `datacontract breaking` (datacontract-cli 1.2.8) on the contract pairs
in fixtures/contract-pairs: for each pair and perspective, whether the change is breaking and the
set of non-INFO (level, path) entries.

    .venv/bin/python interop/breaking_reference.py            # prints the verdicts as JSON
    .venv/bin/python interop/breaking_reference.py --write    # refreshes fixtures/contract-pairs/expected.json

The interop suite (test_clis.py) calls `reference()` and compares it with `meshwork diff`; the Rust
unit tests compare with expected.json offline.
"""

import json
import pathlib
import sys

from datacontract.data_contract import DataContract

PAIRS = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "contract-pairs"
PERSPECTIVES = ("consumer", "producer")


def pair_dirs():
    return sorted(d for d in PAIRS.iterdir() if (d / "v1.yaml").exists())


def verdict(v1: pathlib.Path, v2: pathlib.Path, perspective: str) -> dict:
    result = DataContract(data_contract_file=str(v1)).breaking(
        DataContract(data_contract_file=str(v2)), perspective=perspective
    )
    graded = sorted({(e.level.value, e.path) for e in result.entries if e.level.value != "info"})
    return {"breaking": result.is_breaking, "graded": [list(g) for g in graded]}


def reference() -> dict:
    return {
        d.name: {p: verdict(d / "v1.yaml", d / "v2.yaml", p) for p in PERSPECTIVES}
        for d in pair_dirs()
    }


if __name__ == "__main__":
    out = json.dumps(reference(), indent=1, sort_keys=True) + "\n"
    if "--write" in sys.argv:
        (PAIRS / "expected.json").write_text(out)
        print(f"wrote {PAIRS / 'expected.json'}")
    else:
        print(out)
