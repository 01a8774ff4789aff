"""The conversations desk (``/desk/``): the author's one place to moderate and answer.

``listing`` builds what the desk shows (a constant number of queries however long the list),
``forms`` reads what the author sends, ``views`` are the pages and the POST targets.
"""
