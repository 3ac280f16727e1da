import pickle
import pickletools

from helpers.checks.start_methods import check_pickled_reference
from helpers.workers import per_process


def test_the_names_in_the_pickle_are_right(capsys):
    data = pickle.dumps(per_process.lookup)
    names = [arg for _, arg, _ in pickletools.genops(data) if isinstance(arg, str)]
    assert check_pickled_reference(*names) is True
    assert capsys.readouterr().out.count("✓") == 2


def test_a_wrong_answer_says_what_is_wrong(capsys):
    assert check_pickled_reference("__main__", "lookup") is False
    out = capsys.readouterr().out
    assert "✗ module '__main__'" in out and "✓ name 'lookup'" in out


def test_untouched_or_odd_answers_never_raise(capsys):
    assert check_pickled_reference(..., ...) is False
    assert "Not answered yet" in capsys.readouterr().out
    assert check_pickled_reference(["a"], {1: 2}) is False
