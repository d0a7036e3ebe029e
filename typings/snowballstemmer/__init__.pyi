# The part of snowballstemmer's API that bot/ uses; the package ships no type information.

__all__ = ["stemmer"]

class _Stemmer:
    def stemWord(self, word: str) -> str: ...

def stemmer(lang: str) -> _Stemmer: ...
