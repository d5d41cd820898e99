"""The intake for text from the public: what every form that takes a stranger's words shares.

``api`` asks Akismet about a ``Submission`` (``ask``) and tells it when it was
wrong (``tell``); ``choices.Verdict`` is the one vocabulary every checked model
stores; ``visitors`` finds the visitor's address and counts their ``allowance``;
``health`` remembers whether the check works. It imports no app of ours.
"""
