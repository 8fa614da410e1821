"""The contract-pair verdicts Meshwork's diff is tested on (fixtures/contract-pairs/expected.json,
read by the Rust unit tests of crates/governance) are what the real `datacontract breaking` says
today: recomputed here with datacontract-cli 1.2.8 itself."""

import json

import breaking_reference


def test_expected_verdicts_are_the_reference_tools():
    expected = json.loads((breaking_reference.PAIRS / "expected.json").read_text())
    assert breaking_reference.reference() == expected
