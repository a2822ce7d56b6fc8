#!/usr/bin/env python3
"""Turns a seed file (TOML) into idempotent SQL for D1.

Usage: seed_sql.py seeds/demo.toml > out.sql
       seed_sql.py --accounts seeds/demo.toml   (lists the demo sign-ins)

Every row is written with INSERT OR IGNORE, so seeding again keeps whatever
is already there (owners' edits survive `make dev` restarts).
"""
import json
import sys
import tomllib

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


def main(path):
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
            }))
        for i, p in enumerate(t.get("posts", [])):
            status = p.get("status", "published")
            at = base + p["day"] * DAY_MS if status != "draft" else None
            out.append(row("posts", {
                "id": f"{tid}_post_{i + 1}", "tenant_id": tid, "slug": p["slug"], "title": p["title"],
                "markdown": p["markdown"].strip() + "\n", "status": status,
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
        main(sys.argv[1])
