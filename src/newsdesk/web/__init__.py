"""The site and the JSON API: ``create_app(settings)`` in ``app.py``, routers in ``routes/``."""
