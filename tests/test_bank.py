from pathlib import Path

import pytest

from mockinterviewer.core.bank import find_question, load_bank, load_banks
from mockinterviewer.errors import BankError, UserError

DATA = Path(__file__).parent / "data"
SEED_000 = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "000_645ea3476d982b1f.txt"


def write(tmp_path, text, name="bank.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_test_bank_loads_with_key_points():
    bank = load_bank(DATA / "mini.yaml")
    assert bank.id == "mini"
    q = bank.get("bias-variance-tradeoff")
    assert q.text == "Explain the bias-variance tradeoff."
    assert [k.label for k in q.key_points][0] == "High bias means underfitting"
    assert "underfitting" in q.key_points[0].phrasings


def test_shipped_bank_is_valid_and_holds_the_first_seed(shipped_bank):
    assert len(shipped_bank.questions) >= 16
    for q in shipped_bank.questions:
        assert q.answer and 1 <= len(q.key_points)
        assert all(k.phrasings for k in q.key_points)


def test_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, "format: 1\nid: x\ntitle: X\nquestions:\n  - id: a\n    question: [unclosed\n")
    with pytest.raises(BankError) as err:
        load_bank(path)
    assert err.value.line in (6, 7)
    assert str(path) in str(err.value) and "YAML syntax error" in str(err.value)


def test_missing_field_points_at_its_question(tmp_path):
    text = (DATA / "mini.yaml").read_text().replace("    question: How do you prevent overfitting?\n", "")
    with pytest.raises(BankError) as err:
        load_bank(write(tmp_path, text))
    assert "'question' is missing" in str(err.value)
    lines = text.splitlines()
    assert lines[err.value.line - 1].strip().startswith("- id: prevent-overfitting")


def test_duplicate_id_and_bad_difficulty_are_reported(tmp_path):
    text = (DATA / "mini.yaml").read_text()
    dup = text.replace("id: prevent-overfitting", "id: bias-variance-tradeoff")
    with pytest.raises(BankError, match="used twice"):
        load_bank(write(tmp_path, dup))
    bad = text.replace("difficulty: easy", "difficulty: trivial")
    with pytest.raises(BankError, match="difficulty") as err:
        load_bank(write(tmp_path, bad))
    assert "difficulty: trivial" in bad.splitlines()[err.value.line - 1]


def test_a_broken_bank_does_not_stop_the_others(tmp_path):
    (tmp_path / "good.yaml").write_text((DATA / "mini.yaml").read_text())
    write(tmp_path, "format: 1\nid: [\n", "broken.yaml")
    banks, broken = load_banks([tmp_path])
    assert [b.id for b in banks] == ["mini"]
    assert len(broken) == 1 and broken[0].path.endswith("broken.yaml")


def test_find_question_by_id_words_and_nothing_close():
    bank = load_bank(DATA / "mini.yaml")
    assert find_question([bank], "prevent-overfitting").id == "prevent-overfitting"
    assert find_question([bank], "bias variance").id == "bias-variance-tradeoff"
    assert find_question([bank], "how to prevent overfitting").id == "prevent-overfitting"
    with pytest.raises(UserError) as err:
        find_question([bank], "kubernetes pod scheduling")
    assert "nearest" in str(err.value) and "bias-variance-tradeoff" in str(err.value)


def test_validation_reports_every_problem_with_its_line(tmp_path):
    from mockinterviewer.core.bank import validate_bank

    text = (DATA / "mini.yaml").read_text()
    text = text.replace("difficulty: easy", "difficulty: trivial").replace("    category: fundamentals\n",
                                                                           "    categroy: fundamentals\n")
    path = write(tmp_path, text)
    errors = validate_bank(path)
    lines = text.splitlines()
    found = {(e.reason.split(" (")[0] if "unknown" in e.reason else e.reason.split(",")[0], lines[e.line - 1].strip())
             for e in errors}
    assert ("unknown field 'categroy' in question 'bias-variance-tradeoff'", "categroy: fundamentals") in found
    assert any("did you mean 'category'" in e.reason for e in errors)
    assert any("'category' is missing" in e.reason for e in errors)
    assert any("difficulty of 'prevent-overfitting'" in e.reason and lines[e.line - 1].strip() == "difficulty: trivial"
               for e in errors)
    with pytest.raises(BankError) as err:
        load_bank(path)
    assert len(err.value.others) == len(errors) - 1


def test_a_validated_bank_is_read_from_the_cache_next_time(tmp_path):
    cache = tmp_path / "cache"
    first = load_bank(DATA / "mini.yaml", cache)
    (entry,) = cache.glob("*.json")
    again = load_bank(DATA / "mini.yaml", cache)
    assert again == first and again.get("prevent-overfitting").key_points == first.get("prevent-overfitting").key_points
    entry.write_text("{ damaged")  # a damaged cache entry is ignored, and the YAML read again
    assert load_bank(DATA / "mini.yaml", cache) == first


def test_an_edited_bank_is_not_served_from_the_cache(tmp_path):
    cache = tmp_path / "cache"
    path = write(tmp_path, (DATA / "mini.yaml").read_text())
    load_bank(path, cache)
    path.write_text(path.read_text().replace("Explain the bias-variance tradeoff.", "What is the bias-variance tradeoff?"))
    assert load_bank(path, cache).get("bias-variance-tradeoff").text == "What is the bias-variance tradeoff?"


@pytest.mark.parametrize("seed, prefix", [("000_645ea3476d982b1f.txt", "000#"), ("001_1bf109ed43e6edf6.txt", "001#Q"),
                                          ("002_ca3d1ce284d10d6c.txt", "002#")])
def test_every_seed_question_is_findable_in_the_shipped_bank_by_its_words(shipped_bank, seed, prefix):
    from mockinterviewer.core.importer import import_files

    path = SEED_000.parent / seed
    if not path.exists():
        pytest.skip("../shared/seeds is absent: the seed documents are only beside a project checkout")
    seed_questions = import_files([path]).questions
    assert len(seed_questions) == {"000#": 16, "001#Q": 57, "002#": 5}[prefix]
    for number, asked in enumerate(seed_questions, start=1):
        entry = find_question([shipped_bank], asked.text)
        assert f"{prefix}{number}" in entry.sources, f"{asked.text!r} found {entry.id}, whose sources are {entry.sources}"


def test_shipped_entries_are_complete():
    from mockinterviewer import paths

    bank = load_bank(paths.questions_dir() / "ml-engineer.yaml")
    for q in bank.questions:
        assert 3 <= len(q.key_points) <= 7, q.id
        assert all(len(k.phrasings) >= 3 for k in q.key_points), q.id
        assert q.category in {"fundamentals", "data", "evaluation", "classical-ml", "deep-learning", "nlp",
                              "computer-vision", "mlops", "behavioural"}, q.id
