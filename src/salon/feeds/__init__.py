"""Feeds out: RSS 2.0, Atom and JSON Feed 1.1 of posts (all, per language, tag, series) and
of comments (all, per post), built on Django's syndication framework."""
