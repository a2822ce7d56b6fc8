//! The export of a large blog, measured: the bench blog's 1,000 posts
//! (4–8 KB of Markdown each) and 20 media files of 4.9 MB (98 MB), on a
//! platform of its own. The zip must unzip to all of it, and the isolate's
//! wasm memory must grow by far less than the media (the files are
//! streamed, never held). Prints the time and the growth, which
//! `docs/architecture.md` quotes.

use std::time::Instant;

use grove_tests::platform::LocalPlatform;
use grove_tests::Grove;
use reqwest::Method;
use serde_json::Value;

use super::{download, png, unzip, upload};

const FILES: u8 = 20;
const FILE_BYTES: usize = 4_900_000;
/// What the wasm memory may grow by during the zip, past what the JSON
/// export of the same blog took: the router's copy of the export (about
/// 6 MB of Markdown, as text and parsed), the zip's directory and a chunk,
/// with allocator slack. The 98 MB of media must not be in it.
const GROWTH_LIMIT: u64 = 32 * 1024 * 1024;

async fn wasm_memory(g: &Grove) -> u64 {
    let stats = g.ops(Method::GET, "/tenants/t_bench/stats", None).await;
    assert_eq!(stats.status, 200, "{}", stats.body);
    let v: Value = stats.json();
    v["actor"]["isolate"]["wasm_memory_bytes"].as_u64().unwrap()
}

#[tokio::test]
async fn a_thousand_posts_and_a_hundred_megabytes_stream_in_bounded_memory() {
    let state = LocalPlatform::fresh_state("export-large");
    LocalPlatform::seed_bench(&state, 1_000);
    let mut platform = LocalPlatform::start(&state);
    let g = platform.grove();
    let demo = grove_tests::seed::demo();
    let autumn = demo.users.iter().find(|u| u.id == "u_autumn").unwrap();
    let owner = g.sign_in(&autumn.email, &autumn.password, "bench").await;
    let mut uploaded = Vec::new();
    for salt in 0..FILES {
        let bytes = png(salt + 10, FILE_BYTES);
        let path = upload(&g, &owner, &format!("big-{salt}.png"), bytes.clone()).await;
        uploaded.push((path, bytes));
    }

    // A fresh isolate, so the uploads' own memory is not counted; then the
    // JSON export, which loads the blog into its actor and builds the
    // document the zip is made from, so what the zip adds shows apart.
    platform.restart();
    let fresh = wasm_memory(&g).await;
    let json = download(
        &g,
        &owner,
        Some(&owner.session),
        "/admin/api/export?format=json",
    )
    .await;
    assert_eq!(json.status, 200);
    let before = wasm_memory(&g).await;
    let started = Instant::now();
    let zip = download(&g, &owner, Some(&owner.session), "/admin/api/export").await;
    let took = started.elapsed();
    assert_eq!(zip.status, 200, "{}", zip.text());
    let after = wasm_memory(&g).await;
    eprintln!(
        "export of 1,000 posts and {} MB of media: {} bytes in {:?}; wasm memory {} MiB fresh, \
         {} MiB after the JSON export ({} bytes), {} MiB after the zip",
        u64::from(FILES) * FILE_BYTES as u64 / 1_000_000,
        zip.bytes.len(),
        took,
        fresh / 1_048_576,
        before / 1_048_576,
        json.bytes.len(),
        after / 1_048_576,
    );

    let files = unzip(&zip.bytes);
    assert_eq!(
        files.keys().filter(|k| k.starts_with("posts/")).count(),
        1_000
    );
    for n in [1, 500, 1_000] {
        let name = format!("posts/bench-post-{n:04}.md");
        assert!(files.contains_key(&name), "{name}");
    }
    for (path, bytes) in &uploaded {
        let name = format!("media{}", &path["/media".len()..]);
        assert!(files[&name] == *bytes, "{name} byte for byte");
    }
    assert!(
        after.saturating_sub(before) < GROWTH_LIMIT,
        "wasm memory grew {} MiB during the zip",
        (after - before) / 1_048_576
    );
}
