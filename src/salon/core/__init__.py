"""Site-wide pieces that belong to no single capability: the site context, setup commands."""
