"""On a real bilingual blog, the lists make sense to a reader.

The ten posts of ``../shared/corpus/sample/bilingual-sample.wxr`` (8 French, 2 English, written
over six years by one author about the internet, social media and her work) are loaded, then
the index is rebuilt. The pairs checked are the ones a reader of that blog would call obviously
related; each test says why. The blog lost its own "Similar Posts" lists in the export, so these
are judgements, not a reference.
"""

from django.test import TestCase

from salon import languages
from salon.similar.index import rebuild, similar_posts

from .sample import load_sample


def plain(title):
    """A title without its language marker (whether the importer kept it or not)."""
    return languages.split_title_marker(title)[0]


def titles(posts, title, count=5):
    return [plain(post.title) for post in similar_posts(posts[title], "en", count)]


class SampleBlogTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.posts = load_sample()
        rebuild()

    def test_cluetrain_posts_point_to_each_other(self):
        """The two weekly columns that are about the Cluetrain Manifesto ("Lisez le Cluetrain
        Manifesto", a plea to read it; "L'entreprise sans voix", on companies that cannot speak
        with a human voice, written while re-reading it) and the "Cluetrain 101" course notes
        ("Le monde a changé") are the heart of the blog's Cluetrain theme: each lists the two
        others among its first three. A third column of the same series ("Passion et
        authenticité") shares their tag and opening but not their subject, so it must not push
        the course notes out of the first three."""
        trio = {
            "Lisez le Cluetrain Manifesto",
            "L'entreprise sans voix",
            "Le monde a changé (Cluetrain 101 pour formation SAWI MCMS)",
        }
        for title in trio:
            with self.subTest(title=title):
                self.assertLessEqual(trio - {title}, set(titles(self.posts, title, 3)))

    def test_posts_about_describing_ones_job_come_first_for_each_other(self):
        """ "Refaire sa job description" (an independent consultant looking for words for what
        she does) and "Accompagnement à la transformation numérique" (finally finding the
        words: "digital transformation" describes her work better than "social media") are
        the two posts about naming one's own job: each is the other's most similar post."""
        job = "Refaire sa job description"
        label = "Accompagnement à la transformation numérique"
        self.assertEqual(titles(self.posts, job)[0], label)
        self.assertEqual(titles(self.posts, label)[0], job)

    def test_english_post_finds_the_french_posts_on_its_theme(self):
        """ "My Interest in Organisations and how Social Media Fits in" is in English; its
        theme (the Cluetrain idea that the internet changes how organisations deal with
        people, social media as a lever on corporate culture) is the theme of the French
        course notes "Le monde a changé (Cluetrain 101…)", which says so almost word for word.
        They meet through the French post's English summary and the English post's French
        summary: the course notes are its most similar French post, and most of its list is
        French posts (the blog's other English post, about social media too, may come first)."""
        found = similar_posts(
            self.posts["My Interest in Organisations and how Social Media Fits in"], "en"
        )
        french = [plain(post.title) for post in found if post.language == "fr"]
        self.assertEqual(french[0], "Le monde a changé (Cluetrain 101 pour formation SAWI MCMS)")
        self.assertGreaterEqual(len(french), 3)
        self.assertIn(
            "Le monde a changé (Cluetrain 101 pour formation SAWI MCMS)",
            [plain(post.title) for post in found[:2]],
        )

    def test_every_post_has_a_list(self):
        """Every post of a blog this coherent has some similar post to show."""
        for title, post in self.posts.items():
            with self.subTest(title=title):
                self.assertTrue(similar_posts(post, "fr"))
