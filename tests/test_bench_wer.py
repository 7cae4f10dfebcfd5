"""The word error rate the transcription benchmark reports (bench/bench_wer.py)."""

from bench.bench_wer import wer_counts


def test_word_errors_are_counted_against_the_words_spoken():
    assert wer_counts("add dropout and stop early", "add drop out and stop early") == (2, 5)
    assert wer_counts("add dropout and stop early", "add dropout and stop early") == (0, 5)


def test_a_dotted_name_counts_as_said_aloud_on_both_sides():
    # espeak-ng and flite read "torchvision.transforms.v2" with "dot": a transcript that writes
    # the dots out is not charged for them, and one that writes the name is not either.
    said = "compose them with torchvision.transforms.v2 today"
    assert wer_counts(said, "compose them with torchvision dot transforms dot v2 today") == (0, 10)
    assert wer_counts(said, "compose them with torchvision.transforms.v2 today") == (0, 10)
    assert wer_counts(said, "compose them with torch vision transforms v2 today") == (3, 10)


def test_british_and_american_spellings_are_the_same_word():
    assert wer_counts("we normalise the inputs", "we normalize the inputs") == (0, 4)
