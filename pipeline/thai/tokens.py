"""The word tokenizer engine every stage uses (spaCy's tokens, the deadline extractor's actor phrases)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def tokenizer_engine() -> str:
    """pythainlp's newmm, in its Rust build (nlpo3) when installed: the same
    maximal-matching algorithm and dictionary family, about four times faster,
    and tokenisation is most of the cost of a letter."""
    try:
        import nlpo3  # noqa: F401

        return "nlpo3"
    except ImportError:
        return "newmm"
