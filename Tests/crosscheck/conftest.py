"""Shared helpers: where the built binary is, and how to run it."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def pingcha(tmp_path_factory):
    binary = os.environ.get("PINGCHA_BIN", str(ROOT / ".build" / "debug" / "pingcha"))
    if not pathlib.Path(binary).exists():
        pytest.fail(f"pingcha binary not found at {binary}; run `swift build` first")
    cache_home = tmp_path_factory.mktemp("xdg-cache")

    def run(*args, check=True, input=None):
        # The column cache goes to a folder of this session, never to the user's own.
        env = dict(os.environ, PINGCHA_NO_PROGRESS="1", XDG_CACHE_HOME=str(cache_home))
        result = subprocess.run([binary, *args], cwd=ROOT, capture_output=True, env=env, input=input)
        if check and result.returncode != 0:
            raise AssertionError(f"pingcha {' '.join(args)} exited {result.returncode}: {result.stderr.decode()}")
        return result

    def run_json(*args):
        return json.loads(run(*args, "--format", "json").stdout)

    run.json = run_json
    return run
