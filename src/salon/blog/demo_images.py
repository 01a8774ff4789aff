"""The demo blog's pictures, drawn here with Pillow (abstract shapes), so a newcomer sees covers,
figures and their captions without Salon shipping or downloading anyone's photos.

Each picture is drawn once into the media storage (``demo/…``) and reused after that; a small
palette keeps each file at a few kilobytes.
"""

import io
import math
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

SIZE = (960, 540)
CREDIT = "Salon"
LICENCE = "CC0 1.0"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"


def _city(draw, rng):
    """Blocks of a street grid seen from above, and a walk through them."""
    draw.rectangle((0, 0, *SIZE), fill="#efe6d6")
    colours = ["#c9744f", "#d9a066", "#9c3d1d", "#b8b08d", "#e3c9a8"]
    for x in range(20, SIZE[0], 120):
        for y in range(20, SIZE[1], 110):
            draw.rectangle((x, y, x + 96, y + 84), fill=rng.choice(colours))
    path = [
        (0, 505),
        (130, 505),
        (130, 285),
        (370, 285),
        (370, 175),
        (610, 175),
        (610, 65),
        (960, 65),
    ]
    draw.line(path, fill="#1f2328", width=6, joint="curve")
    draw.ellipse((600, 55, 620, 75), fill="#1f2328")


def _bicycle(draw, rng):
    """Two wheels on a wet street at night, under lamp light."""
    draw.rectangle((0, 0, *SIZE), fill="#1b2a3a")
    draw.rectangle((0, 400, SIZE[0], SIZE[1]), fill="#24384d")
    for x in range(80, SIZE[0], 220):
        draw.ellipse((x - 50, 40, x + 50, 140), fill="#f3d27a")
        draw.line((x, 140, x, 400), fill="#5b6b7c", width=6)
    for cx in (330, 630):
        draw.ellipse((cx - 110, 190, cx + 110, 410), outline="#ece8e1", width=10)
        for angle in range(0, 180, 30):
            dx, dy = 110 * math.cos(math.radians(angle)), 110 * math.sin(math.radians(angle))
            draw.line((cx - dx, 300 - dy, cx + dx, 300 + dy), fill="#8a96a3", width=2)
    draw.line(
        [(330, 300), (460, 200), (630, 300), (480, 300), (330, 300)], fill="#f0a37f", width=10
    )
    draw.line([(460, 200), (480, 300)], fill="#f0a37f", width=10)
    for _ in range(40):
        x, y = rng.randrange(SIZE[0]), rng.randrange(420, SIZE[1])
        draw.line((x, y, x + 30, y), fill="#3d5670", width=3)


def _sourdough(draw, rng):
    """A jar of starter with its bubbles, and a loaf beside it."""
    draw.rectangle((0, 0, *SIZE), fill="#f6efe2")
    draw.rectangle((0, 430, SIZE[0], SIZE[1]), fill="#d9c3a0")
    draw.rounded_rectangle(
        (150, 130, 390, 450), radius=30, fill="#e8e1d3", outline="#8c7a5b", width=6
    )
    draw.rectangle((150, 260, 390, 450), fill="#efe3c2")
    for _ in range(25):
        x, y, r = rng.randrange(170, 370), rng.randrange(280, 430), rng.randrange(4, 12)
        draw.ellipse((x - r, y - r, x + r, y + r), outline="#c9b68c", width=2)
    draw.rectangle((140, 110, 400, 140), fill="#9c3d1d")
    draw.ellipse((480, 250, 840, 470), fill="#b9783f")
    draw.ellipse((510, 265, 810, 420), fill="#cf9456")
    for offset in (0, 70, 140):
        draw.arc((560 + offset - 40, 290, 620 + offset, 380), 200, 330, fill="#f1d7a8", width=8)


DRAWINGS = {
    "city": _city,
    "bicycle": _bicycle,
    "sourdough": _sourdough,
}


def draw_png(key):
    """The PNG bytes of one demo picture (the same every time)."""
    image = Image.new("RGB", SIZE)
    DRAWINGS[key](ImageDraw.Draw(image), random.Random(key))
    buffer = io.BytesIO()
    image.quantize(colors=32).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def demo_images():
    """{key: name in the media storage} for every demo picture, drawing those not there yet."""
    names = {}
    for key in DRAWINGS:
        name = f"demo/{key}.png"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(draw_png(key)))
        names[key] = name
    return names
