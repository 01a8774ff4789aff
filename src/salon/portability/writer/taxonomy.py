"""Tags (from WordPress tags and categories, their slugs kept) and series, with positions."""

from urllib.parse import unquote

from salon.blog.models import Post, Series, Tag
from salon.blog.slugs import slug_candidates, slug_from_title

from ..bulk import delete_rows


def assign_series(state, entries):
    for p in entries:
        obj = p.instance
        if not p.series_slug:
            if p.created:
                obj.series, obj.series_position = None, None
            continue
        series = state.taxonomy.series.get(p.series_slug)
        if series is None:
            term = state.taxonomy.series_terms.get(p.series_slug)
            series = Series.objects.filter(slug=p.series_slug).first()
            if series is None:
                planned = term.meta.get("_salon_planned_length", "") if term else ""
                series = Series.objects.create(
                    slug=p.series_slug,
                    title=(term.name if term else p.series_slug)[:200],
                    description=term.description if term else "",
                    planned_length=int(planned) if planned.isdigit() else None,
                )
                state.report.created["series"] += 1
            state.taxonomy.series[p.series_slug] = series
        obj.series = series
        state.taxonomy.series_touched.add(series.pk)
        position = p.series_position
        if position is not None:
            clash = Post.objects.filter(series=series, series_position=position)
            if obj.pk:
                clash = clash.exclude(pk=obj.pk)
            if clash.exists() or (series.pk, position) in state.taxonomy.positions_used:
                position = None
        if position is not None:
            state.taxonomy.positions_used.add((series.pk, position))
        obj.series_position = position


def write_tags(state, entries):
    names = {name for p in entries for name in p.tags if name not in state.taxonomy.tag_ids}
    if names:
        for tag in Tag.objects.filter(name__in=names):
            state.taxonomy.tag_ids[tag.name] = tag.pk
        missing = [n for n in sorted(names) if n not in state.taxonomy.tag_ids]
        if missing:
            wanted = {
                n: slug_from_title(unquote(state.taxonomy.tag_slugs.get(n) or ""), max_length=116)
                or slug_from_title(n, max_length=116)
                or "tag"
                for n in missing
            }
            taken = set(
                Tag.objects.filter(slug__in=set(wanted.values())).values_list("slug", flat=True)
            )
            new_tags = []
            for name in missing:
                base = wanted[name]
                for candidate in slug_candidates(base):
                    if not (
                        candidate in taken
                        or (candidate != base and Tag.objects.filter(slug=candidate).exists())
                    ):
                        break
                taken.add(candidate)
                new_tags.append(Tag(name=name, slug=candidate))
            Tag.objects.bulk_create(new_tags)
            for tag in new_tags:
                state.taxonomy.tag_ids[tag.name] = tag.pk
            state.report.created["tags"] += len(new_tags)
    through = Post.tags.through
    delete_rows(
        through.objects.filter(post_id__in=[p.instance.pk for p in entries if not p.created])
    )
    links = {(p.instance.pk, state.taxonomy.tag_ids[name]) for p in entries for name in p.tags}
    state.entries.inserters[through].insert(
        [{"post_id": post_id, "tag_id": tag_id} for post_id, tag_id in sorted(links)],
        ignore_conflicts=True,
    )
