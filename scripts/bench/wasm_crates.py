#!/usr/bin/env python3
"""Code size of a wasm by crate, from its function names.

Usage: wasm_crates.py FILE.wasm [TOP]   (TOP defaults to 15)

Reads the code section (each function body's size) and the `name` custom
section (function names, Rust-mangled) of the linker's output, before
wasm-bindgen and wasm-opt strip the names, and sums the bodies by the
first crate each name mentions (`<grove_shared::site::Site as
core::fmt::Debug>::fmt` counts for grove_shared). Prints JSON lines
{"crate", "bytes", "share"}, largest first, then the rest and data.
Used by scripts/bench/scale.py to account for the wasm's size.
"""
import json
import re
import sys


def leb(buf, i):
    result = shift = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def sections(buf):
    i = 8
    while i < len(buf):
        sid = buf[i]
        size, j = leb(buf, i + 1)
        yield sid, buf[j:j + size]
        i = j + size


def demangle(name):
    name = re.sub(r"\.llvm\.\d+$", "", name)
    m = re.match(r"_ZN(.*)E$", name)
    if not m:
        return name
    parts, rest = [], m.group(1)
    while rest and rest[0].isdigit():
        n = re.match(r"\d+", rest).group(0)
        rest = rest[len(n):]
        parts.append(rest[:int(n)])
        rest = rest[int(n):]
    text = "::".join(parts)
    for a, b in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("..", "::"), ("$RF$", "&")):
        text = text.replace(a, b)
    return text


def crate_of(name):
    if name.startswith("_R"):
        # v0 mangling (the standard library): the first crate root, `C`,
        # an optional disambiguator `s…_`, then the length-prefixed name.
        m = re.search(r"C(?:s[0-9A-Za-z]*_)?(\d+)", name)
        if m:
            start = m.end()
            return name[start:start + int(m.group(1))]
    m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)::", demangle(name))
    return m.group(1) if m else "(unnamed)"


def main(path, top):
    buf = open(path, "rb").read()
    imported = 0
    bodies, names, data = [], {}, 0
    for sid, body in sections(buf):
        if sid == 2:  # imports: functions among them shift the indexes
            count, i = leb(body, 0)
            for _ in range(count):
                for _ in range(2):
                    n, i = leb(body, i)
                    i += n
                kind = body[i]
                i += 1
                if kind == 0:
                    _, i = leb(body, i)
                    imported += 1
                elif kind == 1:
                    i += 1
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 2:
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 3:
                    i += 2
        elif sid == 10:
            count, i = leb(body, 0)
            for _ in range(count):
                size, i = leb(body, i)
                bodies.append(size)
                i += size
        elif sid == 11:
            data += len(body)
        elif sid == 0:
            n, i = leb(body, 0)
            if body[i:i + n] != b"name":
                continue
            i += n
            while i < len(body):
                sub = body[i]
                size, i = leb(body, i + 1)
                end = i + size
                if sub == 1:
                    count, i = leb(body, i)
                    for _ in range(count):
                        idx, i = leb(body, i)
                        n, i = leb(body, i)
                        names[idx] = body[i:i + n].decode("utf-8", "replace")
                        i += n
                i = end
    by_crate = {}
    for k, size in enumerate(bodies):
        crate = crate_of(names.get(imported + k, ""))
        by_crate[crate] = by_crate.get(crate, 0) + size
    total = sum(bodies) + data
    ranked = sorted(by_crate.items(), key=lambda kv: -kv[1])
    for crate, size in ranked[:top]:
        print(json.dumps({"crate": crate, "bytes": size, "share": size / total}))
    rest = sum(size for _, size in ranked[top:])
    print(json.dumps({"crate": f"({len(ranked) - top} other crates)", "bytes": rest, "share": rest / total}))
    print(json.dumps({"crate": "(data: strings, tables)", "bytes": data, "share": data / total}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15)
