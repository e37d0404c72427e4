"""The README stays true: its CLI reference is the code's own --help."""

from __future__ import annotations

import importlib.util

from conftest import PROJECT_DIR


def load_readme_cli():
    spec = importlib.util.spec_from_file_location(
        "readme_cli", PROJECT_DIR / "scripts" / "readme_cli.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_cli_help_matches_the_code():
    readme_cli = load_readme_cli()
    current = readme_cli.README.read_text(encoding="utf-8")
    assert current == readme_cli.render(current), "run: python scripts/readme_cli.py"


def test_readme_gives_the_two_setup_commands():
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
