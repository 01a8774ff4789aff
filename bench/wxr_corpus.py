"""Deterministic generator of a large WordPress export (WXR 1.2) for the import benchmark.

    .venv/bin/python bench/wxr_corpus.py --posts 10000 --comments 100000 -o /tmp/big.wxr

Writes a bilingual blog the way WordPress exports one: classic-editor posts without <p> tags
and block-editor posts, most titles carrying a language marker ("Titre [fr]"), some posts
saying their language only through a Polylang term or a language category (and one in ten
through nothing, so detection runs), a leading "[en] …" summary paragraph on most posts,
three tags each, [caption] and [gallery] shortcodes here and there, and comments spread over
the posts (a third of them replies, some pending or spam). Written as it is generated, so
any size costs the same memory. The same seed gives the same file.
"""

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

WORDS = {
    "fr": """ville marché vélo pain levain cuisine jardin quartier voisin langue traduction
    écriture lecture réseau conversation commentaire numérique organisation travail métier
    école enfant livre musique photographie voyage train montagne rivière saison hiver
    printemps été automne boulangerie bibliothèque atelier outil logiciel liberté communauté
    partage histoire mémoire carnet lettre ami famille collègue projet idée question réponse
    internet entreprise service politique climat énergie recette soupe fromage café matin
    soir nuit lumière couleur silence bruit rue place""".split(),
    "en": """city walking bicycle bread sourdough kitchen garden neighbourhood neighbour
    language translation writing reading network conversation comment digital organisation
    work craft school child book music photography travel train mountain river season winter
    spring summer autumn market bakery library workshop tool software freedom community
    sharing history memory notebook letter friend family colleague project idea question
    answer internet company service politics climate energy recipe soup cheese coffee tea
    morning evening night light colour silence noise street""".split(),
}
GLUE = {
    "fr": "le la les un une des du de et dans pour avec sur est sont nous je".split(),
    "en": "the a an of and in for with on is are we I it this that".split(),
}
TAGS = [f"tag-{n}" for n in range(40)]
NAMES = ["Sam", "Léa", "Noor", "Jules", "Ada", "Tomás", "Inès", "Kwame", "Yuki", "Olga"]


def sentence(rng, language, length):
    words = [
        rng.choice(WORDS[language]) if rng.random() < 0.6 else rng.choice(GLUE[language])
        for _ in range(length)
    ]
    return " ".join(words).capitalize() + "."


def paragraph(rng, language):
    return " ".join(sentence(rng, language, rng.randint(8, 16)) for _ in range(rng.randint(3, 6)))


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def wp_date(value):
    return value.strftime("%Y-%m-%d %H:%M:%S")


def body(rng, language, other, wp_id, block_editor):
    paragraphs = [paragraph(rng, language) for _ in range(rng.randint(3, 7))]
    summary = None
    if rng.random() < 0.85:
        summary = f"<p>[{other}] {sentence(rng, other, 14)}</p>"
    if block_editor:
        blocks = [f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs]
        if summary:
            blocks.insert(0, f"<!-- wp:paragraph -->\n{summary}\n<!-- /wp:paragraph -->")
        return "\n\n".join(blocks)
    lines = []
    for p in paragraphs:
        if rng.random() < 0.3:  # a line break inside a paragraph
            cut = p.find(". ") + 1
            p = p[:cut] + "\n" + p[cut + 1 :]
        lines.append(p)
    if rng.random() < 0.1:
        lines.insert(
            1,
            f'[caption id="attachment_{wp_id}" align="alignright" width="300"]'
            f'<img src="https://blog.example/wp-content/uploads/{wp_id}.jpg" '
            f'alt="" width="300" height="200" /> {sentence(rng, language, 5)}[/caption]',
        )
    if summary:
        lines.insert(0, summary)
    return "\n\n".join(lines)


def comment(rng, comment_id, parent, when, language):
    state = "1" if rng.random() < 0.9 else rng.choice(["0", "spam"])
    name = rng.choice(NAMES)
    text = "\n\n".join(paragraph(rng, language) for _ in range(rng.randint(1, 2)))
    return (
        "\t\t<wp:comment>\n"
        f"\t\t\t<wp:comment_id>{comment_id}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author>{cdata(name)}</wp:comment_author>\n"
        f"\t\t\t<wp:comment_author_email>{cdata(name.lower() + '@example.org')}</wp:comment_author_email>\n"
        f"\t\t\t<wp:comment_author_url>https://{name.lower()}.example.org/</wp:comment_author_url>\n"
        f"\t\t\t<wp:comment_author_IP>{cdata('192.0.2.' + str(comment_id % 250))}</wp:comment_author_IP>\n"
        f"\t\t\t<wp:comment_date>{cdata(wp_date(when))}</wp:comment_date>\n"
        f"\t\t\t<wp:comment_date_gmt>{cdata(wp_date(when))}</wp:comment_date_gmt>\n"
        f"\t\t\t<wp:comment_content>{cdata(text)}</wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved>{cdata(state)}</wp:comment_approved>\n"
        f"\t\t\t<wp:comment_type>{cdata('comment')}</wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
        "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
        "\t\t</wp:comment>\n"
    )


def generate(out, posts=10000, comments=100000, seed=1):
    rng = random.Random(seed)
    out.write(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"\n'
        '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        "\t<title>A large bilingual blog</title>\n\t<link>https://blog.example</link>\n"
        "\t<language>fr</language>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n"
        "\t<wp:base_site_url>https://blog.example</wp:base_site_url>\n"
        "\t<wp:base_blog_url>https://blog.example</wp:base_blog_url>\n"
        "\t<wp:author><wp:author_login>author</wp:author_login></wp:author>\n"
    )
    start = datetime(2005, 1, 1, 9, 0)
    next_comment = 1
    per_post = [0] * posts
    for _ in range(comments):  # comments spread unevenly: some posts get many, some none
        per_post[min(int(rng.expovariate(1.0) * posts / 3) % posts, posts - 1)] += 1
    for n in range(posts):
        wp_id = n + 1
        language = "fr" if rng.random() < 0.7 else "en"
        other = "en" if language == "fr" else "fr"
        published = start + timedelta(hours=n * 7, minutes=rng.randint(0, 59))
        title = sentence(rng, language, rng.randint(3, 7))[:-1]
        hint = rng.random()
        categories = ""
        if hint < 0.7:
            title += f" [{language}]"
        elif hint < 0.8:
            categories += (
                f'\t\t<category domain="language" nicename="{language}">'
                f"{cdata(language)}</category>\n"
            )
        elif hint < 0.9:
            name = "Français" if language == "fr" else "English"
            categories += (
                f'\t\t<category domain="category" nicename="{name.lower()}">'
                f"{cdata(name)}</category>\n"
            )
        for tag in rng.sample(TAGS, 3):
            categories += (
                f'\t\t<category domain="post_tag" nicename="{tag}">{cdata(tag)}</category>\n'
            )
        slug = f"post-{wp_id}"
        out.write(
            "\t<item>\n"
            f"\t\t<title>{cdata(title)}</title>\n"
            f"\t\t<link>https://blog.example/{published:%Y/%m/%d}/{slug}/</link>\n"
            f"\t\t<dc:creator>{cdata('author')}</dc:creator>\n"
            f'\t\t<guid isPermaLink="false">https://blog.example/?p={wp_id}</guid>\n'
            f"\t\t<content:encoded>{cdata(body(rng, language, other, wp_id, rng.random() < 0.3))}"
            "</content:encoded>\n"
            f"\t\t<excerpt:encoded>{cdata('')}</excerpt:encoded>\n"
            f"\t\t<wp:post_id>{wp_id}</wp:post_id>\n"
            f"\t\t<wp:post_date>{cdata(wp_date(published))}</wp:post_date>\n"
            f"\t\t<wp:post_date_gmt>{cdata(wp_date(published))}</wp:post_date_gmt>\n"
            f"\t\t<wp:comment_status>{cdata('open')}</wp:comment_status>\n"
            f"\t\t<wp:post_name>{cdata(slug)}</wp:post_name>\n"
            f"\t\t<wp:status>{cdata('publish')}</wp:status>\n"
            "\t\t<wp:post_parent>0</wp:post_parent>\n"
            f"\t\t<wp:post_type>{cdata('post')}</wp:post_type>\n"
            f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n"
            "\t\t<wp:is_sticky>0</wp:is_sticky>\n" + categories
        )
        ids = []
        for k in range(per_post[n]):
            parent = rng.choice(ids) if ids and rng.random() < 0.33 else 0
            when = published + timedelta(hours=k + 1)
            out.write(comment(rng, next_comment, parent, when, rng.choice([language, other])))
            ids.append(next_comment)
            next_comment += 1
        out.write("\t</item>\n")
    out.write("</channel>\n</rss>\n")
    return next_comment - 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--comments", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    started = time.monotonic()
    with Path(args.output).open("w", encoding="utf-8") as out:
        written = generate(out, args.posts, args.comments, args.seed)
    size = Path(args.output).stat().st_size
    print(
        f"{args.output}: {args.posts} posts, {written} comments, {size / 1e6:.1f} MB "
        f"in {time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
