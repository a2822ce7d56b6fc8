//! The media library end to end, against `wrangler dev`'s local R2 and D1:
//! uploads (raw and multipart), serving with validators and ranges,
//! tenant isolation, refusals that store nothing, the quota under a race,
//! deletion, and images in posts.

// Native test code: std time is fine here (the ban is for wasm32).
#![allow(clippy::disallowed_methods, clippy::expect_used, clippy::unwrap_used)]

mod library;
mod refusals;
mod serving;

use grove_tests::owner::Owner;
use grove_tests::{Grove, Reply};
use reqwest::Method;

pub fn grove() -> Grove {
    Grove::from_env()
}

/// A PNG of `width` × `height` whose header is valid, padded with
/// `filler` bytes that vary with `salt` (the server never decodes it).
pub fn png(width: u32, height: u32, salt: u32, filler: usize) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(&13u32.to_be_bytes());
    b.extend_from_slice(b"IHDR");
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let mut x = salt.wrapping_mul(2_654_435_761).wrapping_add(1);
    for _ in 0..filler {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b.push(x as u8);
    }
    b
}

/// Uploads `bytes` through the API's raw form.
pub async fn upload_raw(g: &Grove, o: &Owner, bytes: Vec<u8>, filename: &str, alt: &str) -> Reply {
    let path = format!(
        "/admin/api/media?filename={}&alt={}",
        grove_tests::owner::urlencode(&[("", filename)]).trim_start_matches('='),
        grove_tests::owner::urlencode(&[("", alt)]).trim_start_matches('=')
    );
    let req = g
        .request(Method::POST, &o.host(g), &path)
        .header("cookie", format!("grove_session={}", o.session))
        .header("x-csrf-token", &o.csrf)
        .header("content-type", "image/png")
        .body(bytes);
    g.send(req).await
}

/// A multipart body: `fields` as text parts, then `files` as `file` parts.
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "grove-test-boundary-7d1c";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (filename, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts the library's upload form (with the CSRF field) as `o`.
pub async fn upload_form(g: &Grove, o: &Owner, files: &[(&str, &[u8])], alt: &str) -> Reply {
    let (content_type, body) = multipart(&[("csrf", &o.csrf), ("alt", alt)], files);
    let req = g
        .request(Method::POST, &o.host(g), "/admin/media")
        .header("cookie", format!("grove_session={}", o.session))
        .header("content-type", content_type)
        .body(body);
    g.send(req).await
}

/// GETs `path` on `host` as a reader, body as bytes.
pub async fn fetch(
    g: &Grove,
    host: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = g.request(Method::GET, host, path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.expect("request sent");
    let status = resp.status().as_u16();
    let h = resp.headers().clone();
    (status, h, resp.bytes().await.expect("body").to_vec())
}

/// The ops view of a tenant's media: the books and the R2 objects.
pub async fn ops_media(g: &Grove, tenant_id: &str) -> serde_json::Value {
    let r = g
        .ops(Method::GET, &format!("/tenants/{tenant_id}/media"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}
