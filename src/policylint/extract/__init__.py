"""What a policy states, found apart from any judgement of it.

Extractors read text and documents and return facts with exact positions: contact channels
(:mod:`.channel_text` in a string, :mod:`.channels` in a document), periods of time
(:mod:`.periods`), commitments and time limits (:mod:`.commitments`), and the phrase and sentence
tools they share (:mod:`.phrases`). Rule kinds in ``policylint.checks`` decide what is missing or
contradictory; change review (``policylint.changes``) compares the same facts between versions.
Nothing here imports ``policylint.checks``, and every language-specific word comes from a pack.
"""
