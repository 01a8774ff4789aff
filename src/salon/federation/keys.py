"""The site's RSA key pairs: one for the author's actor, one for the instance actor.

Each is made once (RSA 2048), the first time it is needed, and kept in the database, so it
goes into backups with everything else and survives a restore."""

from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from .models import LocalKey


def generate_pem_pair():
    """A new RSA 2048 key pair as (private PEM, public PEM) text."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def key_for(actor):
    """The ``LocalKey`` of ``actor`` (``LocalKey.AUTHOR`` or ``LocalKey.INSTANCE``), made now
    when there is none yet (two processes racing: the first one's stays)."""
    key = LocalKey.objects.filter(actor=actor).first()
    if key is not None:
        return key
    private_pem, public_pem = generate_pem_pair()
    try:
        with transaction.atomic():
            return LocalKey.objects.create(
                actor=actor, private_pem=private_pem, public_pem=public_pem
            )
    except IntegrityError:
        return LocalKey.objects.get(actor=actor)


@lru_cache(maxsize=8)
def load_private(pem):
    return serialization.load_pem_private_key(pem.encode(), password=None)


@lru_cache(maxsize=512)
def load_public(pem):
    """A public key from PEM text, or None when it is not an RSA public key."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, rsa.RSAPublicKey) else None
