"""人才码 token throughput: issue (sign + encode) and verify (decode + verify) per second on one core,
our ``talentcode.tokens`` beside the same work done with pycose.

"The same work" on both sides: the same CWT claims (canonical CBOR, our claim keys), COSE_Sign1 with
EdDSA/Ed25519 and ``{1: -8, 4: kid}`` protected, zlib level 9, base45 (our ``b45``, pycose has none)
and the ``TP1:`` prefix; verifying decodes all that, checks the signature, then ``exp`` / ``iat``.

- ours, issue: ``tokens.issue(key=...)`` as the code page calls it, which also unseals the private
  key with the field keyring (AES-GCM) on every token; a second row without the unsealing (the
  signing key passed raw, as pycose gets it) isolates the rest.
- ours, verify: ``tokens.verify(text, keys=published_list)``, the offline verifier (the parsed key
  list is passed in, no database; the list is parsed on every call as ``verify`` does).
- pycose: ``Sign1Message(phdr=..., payload=..., key=OKPKey(crv=Ed25519, d=..., x=...)).encode()``;
  verify: ``Sign1Message.from_cose_obj(...)``, ``verify_signature()``. (``Sign1Message.decode`` does
  not work with cbor2 6: it decodes a tagged array as a tuple and a map in it as a frozendict, where
  pycose 1.1 wants a list and a dict, so the bench decodes with cbor2 and hands pycose those.)

Each token is also checked across: pycose verifies ours, ours verifies pycose's.

No database: the signing key is an unsaved ``SigningKey`` sealed with the settings' field keyring.
One process, one thread; each figure is the median of ``--runs`` runs of ``--seconds`` each.

    TALENTPARK_VAR=$(mktemp -d) .venv/bin/python bench/talentcode_tokens.py [--runs 7] [--seconds 1]

Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOW = 1_800_000_000


def _django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    import django

    django.setup()


def _rate(fn: Callable[[], Any], seconds: float, runs: int) -> tuple[float, float]:
    """(median ops/s, median µs/op) of ``runs`` runs of about ``seconds`` each."""
    for _ in range(200):  # warm-up
        fn()
    rates = []
    for _ in range(runs):
        n, start = 0, time.perf_counter()
        deadline = start + seconds
        while True:
            for _ in range(50):
                fn()
            n += 50
            now = time.perf_counter()
            if now >= deadline:
                break
        rates.append(n / (now - start))
    rate = statistics.median(rates)
    return rate, 1e6 / rate


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    _django()

    import cbor2
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from pycose.algorithms import EdDSA
    from pycose.headers import KID, Algorithm
    from pycose.keys import OKPKey
    from pycose.keys.curves import Ed25519
    from pycose.messages import Sign1Message

    from talentpark.talentcode import algorithms, b45, keys, tokens
    from talentpark.talentcode.models import SigningKey

    private, public = algorithms.ALGORITHMS["EdDSA"].generate()
    kid = "Xk29aQ7m"
    key = SigningKey(
        kid=kid,
        alg="EdDSA",
        public_key=public,
        private_key_sealed=keys._seal(kid, private),
        status=SigningKey.Status.ACTIVE,
    )
    published = {
        "keys": [
            {"kid": kid, "alg": "EdDSA", "x": keys._b64url(public), "status": "active", "not_after": None}
        ]
    }
    talent_code = tokens.new_talent_code_id()
    tier_until = dt.date(2028, 12, 31)
    ed = Ed25519PrivateKey.from_private_bytes(private)

    def claims() -> dict[int, Any]:
        return {
            tokens.CLAIM_ISS: "jn-hitech",
            tokens.CLAIM_IAT: NOW,
            tokens.CLAIM_EXP: NOW + 300,
            tokens.CLAIM_CTI: secrets.token_bytes(16),
            tokens.CLAIM_TALENT_CODE: talent_code,
            tokens.CLAIM_TIER: "B",
            tokens.CLAIM_TIER_UNTIL: tier_until.isoformat(),
        }

    # -- ours
    def ours_issue() -> str:
        return tokens.issue(
            issuer="jn-hitech",
            talent_code=talent_code,
            tier="B",
            tier_until=tier_until,
            key=key,
            now=NOW,
            ttl=300,
        )

    def ours_issue_raw_key() -> str:
        """tokens.issue's steps with the raw private key (no unsealing), as pycose is given it."""
        protected = cbor2.dumps({tokens.HDR_ALG: -8, tokens.HDR_KID: kid.encode()}, canonical=True)
        payload = cbor2.dumps(claims(), canonical=True)
        signature = ed.sign(cbor2.dumps(["Signature1", protected, b"", payload]))
        cose = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))
        return tokens.PREFIX + b45.encode(zlib.compress(cose, 9))

    sample = ours_issue()

    def ours_verify() -> Any:
        return tokens.verify(sample, keys=published, now=NOW + 10)

    # -- pycose
    cose_key = OKPKey(crv=Ed25519, d=private, x=public)

    def pycose_issue() -> str:
        msg = Sign1Message(
            phdr={Algorithm: EdDSA, KID: kid.encode()},
            payload=cbor2.dumps(claims(), canonical=True),
            key=cose_key,
        )
        return tokens.PREFIX + b45.encode(zlib.compress(msg.encode(), 9))

    verify_key = OKPKey(crv=Ed25519, x=public)

    def pycose_verify(text: str = sample) -> dict[Any, Any]:
        raw = zlib.decompress(b45.decode(text[len(tokens.PREFIX) :]))
        tagged = cbor2.loads(raw)
        if tagged.tag != 18:
            raise ValueError("not COSE_Sign1")
        protected, unprotected, payload, signature = tagged.value  # cbor2 6: a tuple, a frozendict
        msg = Sign1Message.from_cose_obj([protected, dict(unprotected), payload, signature], True)
        if msg.phdr.get(KID) != kid.encode() or msg.phdr.get(Algorithm) is not EdDSA:
            raise ValueError("kid or alg")
        msg.key = verify_key
        if not msg.verify_signature():
            raise ValueError("signature")
        got = cbor2.loads(msg.payload or b"")
        at = NOW + 10
        if at >= got[tokens.CLAIM_EXP] + tokens.CLOCK_SKEW or at + tokens.CLOCK_SKEW < got[tokens.CLAIM_IAT]:
            raise ValueError("time")
        return dict(got)

    # The two agree on the format: each verifies the other's token, and a forgery fails both.
    theirs = pycose_issue()
    assert tokens.verify(theirs, keys=published, now=NOW + 10).talent_code == talent_code
    assert pycose_verify(sample)[tokens.CLAIM_TALENT_CODE] == talent_code
    assert abs(len(theirs) - len(sample)) <= 6, (
        len(theirs),
        len(sample),
    )  # the random cti compresses unevenly
    forged = tokens.PREFIX + b45.encode(zlib.compress(_swap_tier(zlib.decompress(b45.decode(sample[4:]))), 9))
    for check in (lambda: tokens.verify(forged, keys=published, now=NOW + 10), lambda: pycose_verify(forged)):
        try:
            check()
        except (tokens.TokenInvalid, ValueError):
            pass
        else:
            raise AssertionError("a forged token verified")

    compressed = b45.decode(sample[4:])
    message = b"x" * 200  # about the Sig_structure's size
    signed = ed.sign(message)
    rows = [
        ("issue · ours (`tokens.issue`, unseals the key each time)", ours_issue),
        ("issue · ours, raw key (no unsealing)", ours_issue_raw_key),
        ("issue · pycose", pycose_issue),
        ("verify · ours (`tokens.verify`, key list given)", ours_verify),
        ("verify · pycose", pycose_verify),
        ("  of which Ed25519 sign alone", lambda: ed.sign(message)),
        (
            "  of which Ed25519 verify alone",
            lambda: algorithms.ALGORITHMS["EdDSA"].verify(public, signed, message),
        ),
        ("  of which unsealing the key (AES-GCM)", lambda: keys.private_key(key)),
        ("  of which base45 encode (pure Python)", lambda: b45.encode(compressed)),
        ("  of which base45 decode", lambda: b45.decode(sample[4:])),
    ]
    print(
        f"token: {len(sample)} characters (pycose's: {len(theirs)}); load average {os.getloadavg()}",
        file=sys.stderr,
    )
    print("| operation | ops/s (1 core) | µs/op |")
    print("|---|---|---|")
    for label, fn in rows:
        rate, micros = _rate(fn, args.seconds, args.runs)
        print(f"| {label} | {rate:,.0f} | {micros:.1f} |", flush=True)
    print(f"load average after: {os.getloadavg()}", file=sys.stderr)


def _swap_tier(cose: bytes) -> bytes:
    """The same COSE_Sign1 with the tier claim changed to A (the signature left as it was)."""
    import cbor2

    from talentpark.talentcode import tokens

    protected, unprotected, payload, signature = cbor2.loads(cose).value
    claims = cbor2.loads(payload)
    claims[tokens.CLAIM_TIER] = "A"
    return cbor2.dumps(cbor2.CBORTag(18, [protected, dict(unprotected), cbor2.dumps(claims), signature]))


if __name__ == "__main__":
    main()
