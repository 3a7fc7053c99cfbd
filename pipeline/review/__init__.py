"""`circulars review OUT`: a local web app for going through a dataset's letters and correcting them.

`state` knows the letters, the queue and the reviewers' decisions; `pages`
finds a letter's source file and renders its pages; `app` is the Flask app
(routes, validation, the token); the command in `pipeline.commands.review`
starts it. What a reviewer saves goes to `OUT/corrections.jsonl` through
`pipeline.store.corrections`, the one place that reads, writes and applies it.
"""
