"""Field extractors: one small module per field group, each a spaCy component.

`pipeline.thai.facts` loads the data tables (agencies, months, titles, cue
words); every extractor takes its words from there, never from a literal
inside a regex.
"""
