"""The editing guide's common errors are the bad-content cases,
each with the message the build really prints."""

from common_errors import BAD_CASES, GUIDE, common_errors_section, guide_section


def test_every_bad_content_case_says_what_the_mistake_is():
    for case in BAD_CASES:
        assert (case / "expected.txt").is_file(), f"{case.name} has no expected.txt"
        assert (case / "mistake.txt").is_file(), (
            f"{case.name}: add mistake.txt, the mistake in an editor's words"
        )


def test_the_editing_guide_lists_every_case_with_its_message():
    made = common_errors_section()
    written = guide_section(GUIDE.read_text(encoding="utf-8"))
    assert written == made, (
        "docs/editing.md's common errors differ from tests/fixtures/bad/: run `python tests/common_errors.py`"
    )
