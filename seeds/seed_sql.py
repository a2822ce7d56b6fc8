#!/usr/bin/env python3
"""Turns a seed file (TOML) into idempotent SQL for D1.

Usage: seed_sql.py seeds/demo.toml [MEDIA_DIR] > out.sql
       seed_sql.py --accounts seeds/demo.toml   (lists the demo sign-ins)

A domain with `dns = true` also gets the records that verify it in the
local DNS resolver (`dev_dns_records`: its CNAME to `domains.{DEV_BASE_DOMAIN}`
and its `_grove-challenge` TXT with the domain's token).

A tenant's `media` are images drawn here (a gradient between two colours,
the same bytes every time): their rows go into the SQL, their files into
MEDIA_DIR as `{tenant_id}/{id}.png` (the caller puts them in R2 at
`tenants/{tenant_id}/media/{id}.png`), and `media:NAME` in a post's
Markdown becomes the file's path, `/media/{id}.png`.

Every row is written with INSERT OR IGNORE, so seeding again keeps whatever
is already there (owners' edits survive `make dev` restarts).
"""
import hashlib
import json
import os
import struct
import sys
import tomllib
import zlib

DAY_MS = 86_400_000


def q(value):
    """A SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def row(table, values):
    cols = ", ".join(values)
    vals = ", ".join(q(v) for v in values.values())
    return f"INSERT OR IGNORE INTO {table} ({cols}) VALUES ({vals});"


def png(width, height, start, end):
    """A PNG of a diagonal gradient from colour `start` to `end` ("#rrggbb")."""
    a = [int(start[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(end[i:i + 2], 16) for i in (1, 3, 5)]
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for x in range(width):
            t = (x / width + y / height) / 2
            raw.extend(round(a[i] + (b[i] - a[i]) * t) for i in range(3))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def media_rows(t, base, media_dir, out):
    """The tenant's media rows; returns NAME -> path for its Markdown."""
    paths = {}
    for m in t.get("media", []):
        data = png(m["width"], m["height"], m["from"], m["to"])
        mid = hashlib.sha256(data).hexdigest()[:32]
        paths[m["name"]] = f"/media/{mid}.png"
        out.append(row("media", {
            "tenant_id": t["id"], "id": mid, "kind": "png", "bytes": len(data),
            "width": m["width"], "height": m["height"], "alt": m["alt"],
            "filename": m["name"] + ".png", "created_at": base, "pending": 0,
        }))
        if media_dir:
            os.makedirs(os.path.join(media_dir, t["id"]), exist_ok=True)
            with open(os.path.join(media_dir, t["id"], f"{mid}.png"), "wb") as f:
                f.write(data)
    return paths


def with_media(markdown, paths):
    for name, path in paths.items():
        markdown = markdown.replace(f"](media:{name})", f"]({path})")
    return markdown


def dev_dns_rows(host, token):
    """The records that verify `host` in the local DNS resolver (local runs
    only: production resolves real DNS): its CNAME to the platform's target
    and its TXT challenge."""
    target = "domains." + os.environ.get("DEV_BASE_DOMAIN", "grove.localhost")
    return [
        row("dev_dns_records", {"name": host, "type": "CNAME", "value": target}),
        row("dev_dns_records", {"name": f"_grove-challenge.{host}", "type": "TXT", "value": token}),
    ]


def main(path, media_dir=None):
    with open(path, "rb") as f:
        seed = tomllib.load(f)
    base = seed["base_time_ms"]
    out = []
    for u in seed.get("users", []):
        out.append(row("users", {
            "id": u["id"], "email": u["email"], "password_hash": u["password_hash"], "created_at": base,
        }))
    for t in seed["tenants"]:
        tid = t["id"]
        out.append(row("tenants", {
            "id": tid, "subdomain": t["subdomain"], "display_name": t["display_name"],
            "owner_id": t["owner_id"], "plan": t.get("plan", "free"),
            "created_at": base, "updated_at": base,
        }))
        for key, value in t.get("settings", {}).items():
            out.append(row("tenant_settings", {"tenant_id": tid, "key": key, "value": value}))
        for d in t.get("domains", []):
            out.append(row("domains", {
                "host": d["host"], "tenant_id": tid, "verified": d["verified"], "created_at": base,
                "challenge_token": d["token"], "verified_at": base if d["verified"] else None,
                "is_primary": d.get("primary", False),
            }))
            if d.get("dns"):
                out.extend(dev_dns_rows(d["host"], d["token"]))
        paths = media_rows(t, base, media_dir, out)
        for i, p in enumerate(t.get("posts", [])):
            status = p.get("status", "published")
            at = base + p["day"] * DAY_MS if status != "draft" else None
            out.append(row("posts", {
                "id": f"{tid}_post_{i + 1}", "tenant_id": tid, "slug": p["slug"], "title": p["title"],
                "markdown": with_media(p["markdown"].strip(), paths) + "\n", "status": status,
                "tags": json.dumps(p.get("tags", [])), "published_at": at,
                "created_at": base + p["day"] * DAY_MS, "updated_at": base + p["day"] * DAY_MS,
                "version": 1,
            }))
        for i, pg in enumerate(t.get("pages", [])):
            out.append(row("pages", {
                "id": f"{tid}_page_{i + 1}", "tenant_id": tid, "slug": pg["slug"], "title": pg["title"],
                "markdown": pg["markdown"].strip() + "\n", "show_in_nav": pg.get("show_in_nav", True),
                "nav_order": pg.get("nav_order", i), "created_at": base, "updated_at": base, "version": 1,
            }))
    print("\n".join(out))


def accounts(path):
    with open(path, "rb") as f:
        seed = tomllib.load(f)
    for u in seed.get("users", []):
        print(f"    {u['email']:<26} password: {u['password']}")


if __name__ == "__main__":
    if sys.argv[1] == "--accounts":
        accounts(sys.argv[2])
    else:
        main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
