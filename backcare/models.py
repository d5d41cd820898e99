"""backcare has no models of its own any more: its migrations hand theirs to ``accounts``
(AdminLanguage) and ``pagecache`` (MissedPageInvalidation, CountedLimit), tables and rows kept."""
