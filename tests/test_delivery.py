from mockinterviewer.core.delivery import analyse, count_fillers, count_hedges
from mockinterviewer.core.transcript import Transcript, Word


def timed(text: str, seconds_per_word: float, gaps: dict[int, float] = None) -> Transcript:
    words, t = [], 0.0
    for i, w in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        words.append(Word(w, round(t, 2), round(t + seconds_per_word * 0.8, 2)))
        t += seconds_per_word
    return Transcript(text, tuple(words), duration=t + 1)


def test_fillers_are_counted_only_where_they_are_fillers():
    said = ("So, um, overfitting is, uh, when the model, like, memorizes the training data. Um, you know, "
            "basically it fails on new data.")
    assert count_fillers(said) == {"so": 1, "um": 2, "uh": 1, "like": 1, "basically": 1, "you know": 1}
    # "like" as a verb or preposition, "so" as a conjunction: not fillers.
    assert count_fillers("I would like to explain. It looks like a tree. We add noise so that it generalises, "
                         "and so on.") == {}


def test_hedges():
    assert count_hedges("I'm not sure, but I think it is sort of linear. Maybe.") == {
        "i think": 1, "maybe": 1, "sort of": 1, "i'm not sure": 1}


def test_pace_length_and_long_pauses_from_word_timings():
    text = " ".join(["word"] * 100)
    brisk = analyse(timed(text, 0.3))           # 100 words in 30 s: 200 a minute
    assert brisk.pace == "fast" and brisk.words_per_minute > 170
    calm = analyse(timed(text, 0.45, {50: 3.5}))  # 133 a minute, with one 3.5 s silence
    assert calm.pace == "comfortable"
    assert len(calm.long_pauses) == 1 and calm.long_pauses[0].seconds >= 3.5
    assert any("long pause" in n for n in calm.notes)
    assert analyse(timed("short answer here", 0.4)).length == "short"


def test_typed_answers_have_no_timing_figures():
    delivery = analyse(Transcript.typed("I think, um, dropout helps."))
    assert delivery.words_per_minute is None and delivery.pace == "unknown"
    assert delivery.fillers == {"um": 1} and delivery.hedges == {"i think": 1}
    assert any("Whisper" in n for n in delivery.notes)
