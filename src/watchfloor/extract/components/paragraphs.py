"""wf_paragraphs: a blank line always ends a sentence, and so does a wire dateline.

Runs before the parser, which keeps sentence boundaries set earlier. Without it a headline or a
paragraph without final punctuation runs into the next sentence, and a dateline ("KYIV, June 17
(Meridian Wire) - ...") becomes part of the first sentence's subject and of any speech in it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

_DASHES = {"-", "–", "—", "--"}
_DATELINE_REACH = 12  # tokens: "MOSCOW/BEIJING, June 19 (Meridian Wire) -"
_SENTENCE_END = {".", "?", "!", ":"}
_NO_SPLIT_AFTER_START = 3  # tokens


@Language.component("wf_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraph_starts(doc: Doc) -> Doc:
    paragraph_start = 0
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            _start_sentence_after(doc, token.i)
            paragraph_start = token.i + 1
        elif _ends_dateline(doc, token.i, paragraph_start):
            _start_sentence_after(doc, token.i)
    return doc


def _ends_dateline(doc: Doc, i: int, paragraph_start: int) -> bool:
    """The dash after "SEOUL", "KYIV, June 17" or "MOSCOW, June 19 (Meridian Wire)"."""
    if doc[i].text not in _DASHES or not 0 < i - paragraph_start <= _DATELINE_REACH:
        return False
    place = doc[paragraph_start].text
    letters = place.replace("/", "").replace("-", "")
    if not (len(letters) > 1 and letters.isalpha() and place.isupper()):
        return False
    before = doc[i - 1]
    return before.text == ")" or before.like_num or before.i == paragraph_start


def _start_sentence_after(doc: Doc, i: int) -> None:
    """A sentence starts after token ``i``. Its next tokens may not start one: left free, the
    parser tends to split again right after the first word of a sentence forced to start."""
    doc[i + 1].is_sent_start = True
    for token in doc[i + 2 : i + 2 + _NO_SPLIT_AFTER_START]:
        if token.is_space or doc[token.i - 1].text in _SENTENCE_END:
            break
        token.is_sent_start = False
