from helpers.checks.threads_vs_processes import RIGHT, check_pool_choices

JOBS = list(RIGHT)


def test_right_answers_pass(capsys):
    right = dict(zip(JOBS, ["processes", "threads", "threads"], strict=True))
    assert check_pool_choices(right) is True
    assert capsys.readouterr().out.count("✓") == 3


def test_wrong_answers_say_why(capsys):
    all_processes = dict.fromkeys(JOBS, "processes")
    assert check_pool_choices(all_processes) is False
    out = capsys.readouterr().out
    assert "✗ hashing large buffers with hashlib: not processes" in out
    assert "releases the GIL" in out and "✓ factoring" in out
    assert check_pool_choices(dict.fromkeys(JOBS, "fibers")) is False
    assert "answer 'threads' or 'processes'" in capsys.readouterr().out
    assert check_pool_choices(["threads"]) is False  # not a dict: said, never raised


def test_untouched_starter_is_not_answered(capsys):
    assert check_pool_choices(dict.fromkeys(JOBS, ...)) is False
    assert check_pool_choices(...) is False
    assert capsys.readouterr().out.count("Not answered yet") == 2
