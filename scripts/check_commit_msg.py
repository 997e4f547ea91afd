"""The commit-msg hook (.pre-commit-config.yaml): a message starts `area: summary` in at most 72 characters, and
the why follows after a blank line. Git's own messages (merges, reverts, fixup!/squash!) pass as git wrote them.

Usage: python scripts/check_commit_msg.py .git/COMMIT_EDITMSG  (exit status 1 with the reasons on stderr)
"""

import re
import sys
from pathlib import Path

MAX_SUBJECT = 72
SUBJECT = re.compile(r"[A-Za-z0-9][\w./-]*: \S")
GIT_WRITTEN = ("Merge ", "Revert ", "fixup! ", "squash! ", "amend! ")
SCISSORS = "# ------------------------ >8 ------------------------"


def message_lines(text: str) -> list[str]:
    """The lines git keeps: without the comments and what follows the scissors line (`commit -v`)."""
    text = text.split(SCISSORS, 1)[0]
    lines = [line.rstrip() for line in text.splitlines() if not line.startswith("#")]
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def problems(text: str) -> list[str]:
    lines = message_lines(text)
    if not lines:
        return ["The message is empty."]
    subject = lines[0]
    if subject.startswith(GIT_WRITTEN):
        return []
    found = []
    if not SUBJECT.match(subject):
        found.append(f"The first line must read `area: summary` (e.g. `stats: ...`), not {subject!r}.")
    if len(subject) > MAX_SUBJECT:
        found.append(f"The first line has {len(subject)} characters; at most {MAX_SUBJECT}.")
    if len(lines) > 1 and lines[1]:
        found.append("The second line must be blank: the why goes in the body below it.")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: check_commit_msg.py MESSAGE_FILE", file=sys.stderr)
        return 2
    found = problems(Path(argv[1]).read_text(encoding="utf-8"))
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
