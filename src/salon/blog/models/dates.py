"""Date ranges in the site's time zone, for the date archives and date-based addresses."""

from datetime import datetime, time, timedelta

from django.utils import timezone


def day_bounds(year, month, day=None):
    """Aware datetimes bounding a day or a month in the site's time zone (None if impossible)."""
    if not 1 <= year < 9999:
        return None
    try:
        if day is None:
            start = datetime(year, month, 1)
            end = datetime(year + (month == 12), month % 12 + 1, 1)
        else:
            start = datetime.combine(datetime(year, month, day).date(), time.min)
            end = start + timedelta(days=1)
    except ValueError:
        return None
    tz = timezone.get_current_timezone()
    return timezone.make_aware(start, tz), timezone.make_aware(end, tz)


def year_bounds(year):
    """Aware datetimes bounding a year in the site's time zone (None if out of range)."""
    if not 1 <= year < 9999:
        return None
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime(year, 1, 1), tz),
        timezone.make_aware(datetime(year + 1, 1, 1), tz),
    )
