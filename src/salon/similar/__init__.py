"""Similar posts across languages: the index and its stored lists."""
