"""Every response to a post, whatever door it came through (comment form, Webmention, later
ActivityPub, WordPress import): one model, one moderation queue, one thread on the page."""
