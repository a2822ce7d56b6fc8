#!/usr/bin/env python3
"""Prints idempotent SQL for the benchmark tenant (used by `make bench`).

Usage: bench_sql.py [COUNT] > bench.sql      (COUNT defaults to 1000)

The tenant is `t_bench` at `bench.{BASE_DOMAIN}` (and its verified custom
domain `bench.test`), owned by the demo user
`u_autumn` (seeds/demo.toml, so the bench can sign in as autumn), with
COUNT published posts `bench-post-0001`... Each post's Markdown is 4-8 KB of
realistic content (headings, paragraphs, a list, a table, a fenced code
block, a footnote), generated deterministically: the same COUNT always gives
the same SQL. Every row is INSERT OR IGNORE, so applying it twice is harmless.
"""
import json
import random
import sys

from seed_sql import row  # seeds/seed_sql.py: INSERT OR IGNORE with SQL literals

TENANT = "t_bench"
SUBDOMAIN = "bench"
DOMAIN = "bench.test"
OWNER = "u_autumn"
DAY_MS = 86_400_000
# Posts are spread over the past: post 1 on 2023-01-02, then one every
# 31 hours, so post 1000 lands in 2026-07 (before the demo posts and well
# before any bench run). Fixed times keep the output deterministic.
FIRST_MS = 1_672_650_000_000  # 2023-01-02T09:00:00Z
STEP_MS = 31 * 3_600_000

WORDS = (
    "actor cache request tenant worker storage edge reader latency budget "
    "memory page render markdown table footnote router limit lease bucket "
    "window token snapshot version history publish draft schedule alarm "
    "durable object isolate runtime wasm binary deploy config header cookie "
    "session owner blog post slug title tag theme colour font garden season "
    "autumn frost bread beans kettle notebook river meadow lantern harbour"
).split()

TOPICS = [
    "Measuring a hot path", "Notes on caching", "A week of small programs",
    "Reading the request log", "What the profiler said", "Slow cooking, fast pages",
    "Keeping state in one place", "The cost of a lookup", "Winter maintenance",
    "A tour of the admin", "Budgets for memory", "Why the edge is near",
]

LANGS = [
    ("rust", [
        "fn handle(req: &Request, cache: &mut PageCache) -> Response {{",
        "    let key = req.path().trim_end_matches('/');",
        "    if let Some(page) = cache.get(key) {{",
        "        return Response::ok(page.html.clone()); // hit number {n}",
        "    }}",
        "    let page = render(key);",
        "    cache.insert(key.to_string(), page.clone());",
        "    Response::ok(page.html)",
        "}}",
    ]),
    ("sql", [
        "SELECT slug, title, published_at",
        "  FROM posts",
        " WHERE tenant_id = 't_bench' AND status = 'published'",
        " ORDER BY published_at DESC",
        " LIMIT 5 OFFSET {n};",
    ]),
    ("toml", [
        "[reader]",
        "cache_bytes = {n}000",
        "limits = \"on\"",
        "",
        "[writer]",
        "queue = \"serial\"",
    ]),
    ("text", [
        "run   req/s   p50    p99",
        "a     {n}0     4.1    12.0",
        "b     {n}5     3.9    11.2",
    ]),
]


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = "**" + rng.choice(WORDS) + "**"
    if rng.random() < 0.2:
        words[rng.randrange(len(words))] = "`" + rng.choice(WORDS) + "`"
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!"])


def paragraph(rng, sentences=None):
    return " ".join(sentence(rng) for _ in range(sentences or rng.randint(3, 6)))


def markdown(n):
    rng = random.Random(n)
    parts = [paragraph(rng), paragraph(rng) + "[^note]"]
    parts.append("## " + rng.choice(TOPICS))
    parts += [paragraph(rng) for _ in range(rng.randint(2, 4))]
    parts.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))))
    parts.append("## The numbers")
    rows = ["| Step | Count | Time (ms) |", "|------|------:|----------:|"]
    for _ in range(rng.randint(4, 8)):
        rows.append(f"| {rng.choice(WORDS)} {rng.choice(WORDS)} | {rng.randint(1, 999)} | {rng.uniform(0.1, 50):.1f} |")
    parts.append("\n".join(rows))
    parts.append(paragraph(rng))
    lang, lines = rng.choice(LANGS)
    parts.append(f"```{lang}\n" + "\n".join(lines).format(n=n) + "\n```")
    parts.append("### What next")
    while sum(len(p) for p in parts) < rng.randint(4300, 7200):
        parts.append(paragraph(rng))
    parts.append(f"> {sentence(rng)}")
    parts.append(f"[^note]: {sentence(rng)} See post {n}.")
    return "\n\n".join(parts) + "\n"


def main(count):
    out = [
        row("tenants", {
            "id": TENANT, "subdomain": SUBDOMAIN, "display_name": "Bench",
            "owner_id": OWNER, "plan": "paid", "created_at": FIRST_MS, "updated_at": FIRST_MS,  # paid: its 1,000 published posts are over the free plan's 100
        }),
        row("tenant_settings", {"tenant_id": TENANT, "key": "site_title", "value": "Bench"}),
        # A verified custom domain (the subdomain stays primary), for the
        # edge hit on a custom domain.
        row("domains", {
            "host": DOMAIN, "tenant_id": TENANT, "verified": 1, "created_at": FIRST_MS,
            "challenge_token": "0bench0domain0token0000000000000", "verified_at": FIRST_MS,
        }),
    ]
    for n in range(1, count + 1):
        at = FIRST_MS + (n - 1) * STEP_MS
        out.append(row("posts", {
            "id": f"{TENANT}_post_{n:04}", "tenant_id": TENANT, "slug": f"bench-post-{n:04}",
            "title": f"Bench post {n:04}: {random.Random(-n).choice(TOPICS)}",
            "markdown": markdown(n), "status": "published", "tags": json.dumps(["bench"]),
            "published_at": at, "created_at": at, "updated_at": at, "version": 1,
        }))
    print("\n".join(out))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
