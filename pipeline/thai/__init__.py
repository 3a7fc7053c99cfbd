"""Thai text facts, the leaf every stage may use and that imports none of them.

`chars` the character classes, `normalise` the normalised text and its offsets,
`repair` broken text layers (PUA glyphs, split marks), `wrap` Thai between words
for the terminal, `facts` the data tables (`data/*.json`: agencies, months,
forms, cue words), `tokens` the word tokenizer engine.
"""
