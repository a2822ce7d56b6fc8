//! A reader's `Range` header against a file's size: one range of bytes, the
//! whole file (no header, several ranges, or a header this does not read,
//! which RFC 9110 lets a server ignore), or nothing it can satisfy (416).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    Full,
    /// Bytes `start..=end`.
    Partial {
        start: u64,
        end: u64,
    },
    Unsatisfiable,
}

impl ByteRange {
    /// The `Content-Range` of a 206 or 416.
    pub fn content_range(self, size: u64) -> Option<String> {
        match self {
            ByteRange::Full => None,
            ByteRange::Partial { start, end } => Some(format!("bytes {start}-{end}/{size}")),
            ByteRange::Unsatisfiable => Some(format!("bytes */{size}")),
        }
    }
}

pub fn parse(header: Option<&str>, size: u64) -> ByteRange {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return ByteRange::Full;
    };
    if spec.contains(',') {
        return ByteRange::Full;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return ByteRange::Full;
    };
    let num = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (first.trim().is_empty(), num(first), num(last)) {
        // bytes=-N: the last N bytes.
        (true, _, Some(n)) => {
            if n == 0 || size == 0 {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Partial {
                    start: size.saturating_sub(n),
                    end: size - 1,
                }
            }
        }
        (false, Some(start), end) if last.trim().is_empty() || end.is_some() => {
            if start >= size {
                return ByteRange::Unsatisfiable;
            }
            let end = end.map_or(size - 1, |e| e.min(size - 1));
            if end < start {
                ByteRange::Full
            } else {
                ByteRange::Partial { start, end }
            }
        }
        _ => ByteRange::Full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_ranges() {
        let p = |h: &str| parse(Some(h), 1000);
        assert_eq!(p("bytes=0-99"), ByteRange::Partial { start: 0, end: 99 });
        assert_eq!(
            p("bytes=900-"),
            ByteRange::Partial {
                start: 900,
                end: 999
            }
        );
        assert_eq!(
            p("bytes=-100"),
            ByteRange::Partial {
                start: 900,
                end: 999
            }
        );
        assert_eq!(p("bytes=-5000"), ByteRange::Partial { start: 0, end: 999 });
        assert_eq!(
            p("bytes=990-5000"),
            ByteRange::Partial {
                start: 990,
                end: 999
            }
        );
        assert_eq!(p("bytes=1000-"), ByteRange::Unsatisfiable);
        assert_eq!(p("bytes=-0"), ByteRange::Unsatisfiable);
        assert_eq!(
            ByteRange::Partial { start: 0, end: 99 }
                .content_range(1000)
                .unwrap(),
            "bytes 0-99/1000"
        );
        assert_eq!(
            ByteRange::Unsatisfiable.content_range(1000).unwrap(),
            "bytes */1000"
        );
    }

    #[test]
    fn anything_else_is_the_whole_file() {
        for h in [
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=abc",
            "bytes=5-2",
            "bytes=-",
            "bytes=1-x",
        ] {
            assert_eq!(parse(Some(h), 1000), ByteRange::Full, "{h}");
        }
        assert_eq!(parse(None, 1000), ByteRange::Full);
    }
}
