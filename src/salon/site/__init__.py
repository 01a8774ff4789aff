"""The roof: what needs the other apps together (setup commands ``bootstrap``, ``load-demo``,
``run``, ``worker``; the context every template gets; the icon and robots.txt; the site's system
checks). Listed last in INSTALLED_APPS; no app imports it."""
