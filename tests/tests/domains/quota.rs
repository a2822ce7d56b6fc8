//! The plan's quota of custom domains, exact under parallel adds.

use futures::future::join_all;
use reqwest::Method;
use serde_json::json;

use crate::{add, fresh_domain, grove, harbor, remove};

#[tokio::test]
async fn parallel_adds_at_quota_minus_one_let_exactly_one_through() {
    let g = grove();
    let (_turn, owner) = harbor(&g).await;
    let mut mine = vec![fresh_domain("q1"), fresh_domain("q2")];
    for host in &mine {
        assert_eq!(add(&g, &owner, host, false).await.status, 201);
    }
    let racing: Vec<String> = (0..6).map(|i| fresh_domain(&format!("race{i}"))).collect();
    let replies = join_all(racing.iter().map(|host| {
        g.send(owner.api_request_on(
            &g,
            &owner.host(&g),
            Method::POST,
            "/admin/api/domains",
            Some(json!({"host": host})),
        ))
    }))
    .await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_eq!(r.status, 403, "{}", r.body);
        let body = r.json();
        assert_eq!(body["error"], "quota_exceeded");
        assert_eq!(body["field"], "custom_domains");
        assert!(
            body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("paid plan"),
            "{body}"
        );
    }
    let list = owner
        .api(&g, Method::GET, "/admin/api/domains", None)
        .await
        .json();
    assert_eq!(list["quota"], json!({"used": 3, "max": 3, "plan": "paid"}));
    mine.extend(
        racing
            .iter()
            .zip(&replies)
            .filter(|(_, r)| r.status == 201)
            .map(|(h, _)| h.clone()),
    );
    for host in &mine {
        remove(&g, &owner, host).await;
    }
    let list = owner
        .api(&g, Method::GET, "/admin/api/domains", None)
        .await
        .json();
    assert_eq!(list["quota"]["used"], 0);
}
