import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "scripts" / "check_commit_msg.py"
_spec = importlib.util.spec_from_file_location("check_commit_msg", _PATH)
assert _spec is not None and _spec.loader is not None
check_commit_msg = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_commit_msg)


@pytest.mark.parametrize(
    "message",
    [
        "stats: one query for the report list\n\nThe why, with the figures.\n",
        "kaikukeskus/mail: send later\n",
        "a" * 10 + ": " + "b" * 60 + "\n",  # exactly 72 characters
        "Merge branch 'mypy' into main\n",
        "fixup! stats: one query\n",
        "# Please enter the commit message\n\ntyping: mypy over the services\n\n# comment\nwhy\n",
        "docs: say so\n\nwhy\n# ------------------------ >8 ------------------------\ndiff --git a b\nnot: blank\n",
    ],
)
def test_accepted(message, tmp_path):
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(message, encoding="utf-8")
    assert check_commit_msg.main(["check_commit_msg.py", str(path)]) == 0


@pytest.mark.parametrize(
    ("message", "says"),
    [
        ("Fixed the report list\n", "area: summary"),
        ("stats:missing space\n", "area: summary"),
        (": no area\n", "area: summary"),
        ("stats: " + "x" * 66 + "\n", "73 characters"),
        ("stats: one query\nthe why right under it\n", "second line must be blank"),
        ("# only a comment\n\n", "empty"),
    ],
)
def test_refused(message, says, tmp_path, capsys):
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(message, encoding="utf-8")
    assert check_commit_msg.main(["check_commit_msg.py", str(path)]) == 1
    assert says in capsys.readouterr().err
