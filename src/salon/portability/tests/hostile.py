"""A WordPress export whose every post carries a hostile payload (body, excerpt, title, a
comment): what a third party's export may hold. Shared by the import tests and the browser's."""

from xml.sax.saxutils import escape


def _cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def hostile_wxr(payloads, site="https://hostile.example/"):
    items = []
    for number, payload in enumerate(payloads, start=1):
        items.append(
            f"""<item>
<title>{escape(f"Hostile {number} {payload}")}</title>
<link>{site}hostile-{number}/</link>
<content:encoded>{_cdata(f"<p>Before {number}.</p>{payload}<p>After {number}.</p>")}</content:encoded>
<excerpt:encoded>{_cdata(payload)}</excerpt:encoded>
<wp:post_id>{number}</wp:post_id>
<wp:post_date>2022-01-01 12:00:00</wp:post_date>
<wp:post_date_gmt>2022-01-01 12:00:00</wp:post_date_gmt>
<wp:post_name>hostile-{number}</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:post_type>post</wp:post_type>
<category domain="language" nicename="en">English</category>
<wp:comment>
<wp:comment_id>{number}</wp:comment_id>
<wp:comment_author>{_cdata(payload)}</wp:comment_author>
<wp:comment_author_email>c{number}@example.org</wp:comment_author_email>
<wp:comment_author_url>https://commenter.example/</wp:comment_author_url>
<wp:comment_date_gmt>2022-01-02 12:00:00</wp:comment_date_gmt>
<wp:comment_content>{_cdata(payload)}</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>0</wp:comment_parent>
</wp:comment>
</item>"""
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Hostile</title>
<link>{site}</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>{site}</wp:base_blog_url>
{"".join(items)}
</channel>
</rss>
"""
