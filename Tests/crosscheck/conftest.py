"""Shared helpers: where the built binary is, and how to run it."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def pingcha():
    binary = os.environ.get("PINGCHA_BIN", str(ROOT / ".build" / "debug" / "pingcha"))
    if not pathlib.Path(binary).exists():
        pytest.fail(f"pingcha binary not found at {binary}; run `swift build` first")

    def run(*args, check=True):
        env = dict(os.environ, PINGCHA_NO_PROGRESS="1")
        result = subprocess.run([binary, *args], cwd=ROOT, capture_output=True, env=env)
        if check and result.returncode != 0:
            raise AssertionError(f"pingcha {' '.join(args)} exited {result.returncode}: {result.stderr.decode()}")
        return result

    def run_json(*args):
        return json.loads(run(*args, "--format", "json").stdout)

    run.json = run_json
    return run
