"""``${VAR}`` in ``[env]`` and task ``env``, through the real ``zr``."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.crossversion


def test_env_values_are_interpolated_with_a_literal_dollar_escape(zr_project):
    zr_project.file(".env", "FROM_DOTENV=dot\n")
    zr_project.write("""
        [env]
        BASE = "/opt/${ZR_TEST_USER:-nobody}"
        BIN = "${BASE}/bin:${ZR_TEST_OUTSIDE}"
        LITERAL = "$$HOME, $${BASE} and $HOME"
        DOT = "d=${FROM_DOTENV}"

        [tasks.t]
        env = { SUB = "${BIN}/sub", MISSING = "[${ZR_TEST_NOT_SET}]" }
        cmd = 'printf "%s\\n" "$BASE" "$BIN" "$LITERAL" "$SUB" "$MISSING" "$DOT"'
    """)
    env = {"ZR_TEST_OUTSIDE": "/usr/bin"}
    result = zr_project.run("run", "t", "--log-prefix", "none", env=env)
    assert result.returncode == 0, result.output
    assert result.stdout.splitlines() == [
        "/opt/nobody", "/opt/nobody/bin:/usr/bin", "$HOME, ${BASE} and $HOME",
        "/opt/nobody/bin:/usr/bin/sub", "[]", "d=dot"]
    overridden = zr_project.run("run", "t", "--log-prefix", "none", "--env", "BASE=/cli",
                                env=env)
    assert overridden.stdout.splitlines()[:2] == ["/cli", "/cli/bin:/usr/bin"]
