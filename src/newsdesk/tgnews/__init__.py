"""The Telegram Data Clustering contest's protocol (round 2) as an adapter over newsdesk.

``cli`` (the ``tgnews`` console script) → ``batch`` (the four batch modes) or ``server`` (HTTP) →
``index`` (the server's persistent index: the archive plus each file's max-age).  ``page`` reads a
contest page, ``analysis`` picks the pipeline stages the protocol needs, ``stories`` threads.
Kept import-free so ``tgnews server`` opens its port at once.
"""
