//! A large write's rows, grouped so that D1 gets few statements.
//!
//! An import of 1,000 posts is 2,000 changes (each post and its first
//! revision); one statement each would be 2,000 statements in a batch,
//! against D1's limit on queries per invocation. Consecutive inserts of
//! one kind are grouped instead: each group is one JSON array, bound as a
//! single parameter and expanded by `json_each` in one `INSERT … SELECT`
//! (`tenant-do`'s `d1_store`). A group stays under [`MAX_GROUP_BYTES`] of
//! JSON (D1 takes at most 2 MB in one string); an item too big for a group
//! of its own keeps its own statement. The batch is still one transaction.

use serde::Serialize;

use crate::admin::content::Change;

/// Most bytes of JSON in one group.
pub const MAX_GROUP_BYTES: usize = 1_000_000;

/// The kind of rows a group inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Posts,
    Revisions,
    Pages,
}

/// One statement's worth of a commit.
#[derive(Debug, PartialEq)]
pub enum Step<'a> {
    /// A change with its own statement(s).
    One(&'a Change),
    /// Rows of `table`, as one JSON array.
    Group {
        table: Table,
        rows: usize,
        json: String,
    },
}

#[derive(Serialize)]
struct PostRow<'a> {
    id: &'a str,
    slug: &'a str,
    title: &'a str,
    markdown: &'a str,
    status: &'a str,
    tags: String,
    published_at: Option<i64>,
    updated_at: i64,
    version: i64,
}

#[derive(Serialize)]
struct RevisionRow<'a> {
    post_id: &'a str,
    version: i64,
    title: &'a str,
    markdown: &'a str,
    status: &'a str,
    edited_by: &'a str,
    edited_at: i64,
}

#[derive(Serialize)]
struct PageRow<'a> {
    id: &'a str,
    slug: &'a str,
    title: &'a str,
    markdown: &'a str,
    show_in_nav: i64,
    nav_order: i64,
    updated_at: i64,
    version: i64,
}

/// A change's row as JSON, if it is an insert that groups.
fn row(change: &Change) -> Option<(Table, String)> {
    let json = match change {
        Change::InsertPost(p) => serde_json::to_string(&PostRow {
            id: &p.id,
            slug: &p.slug,
            title: &p.title,
            markdown: &p.markdown,
            status: p.status.as_str(),
            tags: serde_json::to_string(&p.tags).unwrap_or_else(|_| "[]".into()),
            published_at: p.published_at,
            updated_at: p.updated_at,
            version: p.version,
        }),
        Change::InsertRevision(r) => serde_json::to_string(&RevisionRow {
            post_id: &r.post_id,
            version: r.version,
            title: &r.title,
            markdown: &r.markdown,
            status: r.status.as_str(),
            edited_by: &r.edited_by,
            edited_at: r.edited_at,
        }),
        Change::InsertPage(p) => serde_json::to_string(&PageRow {
            id: &p.id,
            slug: &p.slug,
            title: &p.title,
            markdown: &p.markdown,
            show_in_nav: i64::from(p.show_in_nav),
            nav_order: p.nav_order,
            updated_at: p.updated_at,
            version: p.version,
        }),
        _ => return None,
    };
    let table = match change {
        Change::InsertPost(_) => Table::Posts,
        Change::InsertRevision(_) => Table::Revisions,
        _ => Table::Pages,
    };
    json.ok().map(|json| (table, json))
}

/// The steps of a commit, in the order of `changes`. A run of fewer than
/// two inserts of a kind keeps its own statement (the usual write is
/// unchanged).
pub fn steps(changes: &[Change]) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < changes.len() {
        let Some((table, first)) = row(&changes[i]) else {
            out.push(Step::One(&changes[i]));
            i += 1;
            continue;
        };
        let run_end = changes[i..]
            .iter()
            .position(|c| row(c).is_none_or(|(t, _)| t != table))
            .map_or(changes.len(), |n| i + n);
        if run_end - i < 2 {
            out.push(Step::One(&changes[i]));
            i += 1;
            continue;
        }
        let mut json = String::from("[");
        let mut rows = 0;
        let mut pending = Some(first);
        for (j, change) in changes.iter().enumerate().take(run_end).skip(i) {
            let item = match pending.take() {
                Some(item) => item,
                None => row(change).map(|(_, j)| j).unwrap_or_default(),
            };
            if item.len() + 2 > MAX_GROUP_BYTES {
                out.push(Step::One(&changes[j]));
                continue;
            }
            if json.len() + item.len() + 2 > MAX_GROUP_BYTES {
                json.push(']');
                out.push(Step::Group { table, rows, json });
                json = String::from("[");
                rows = 0;
            }
            if rows > 0 {
                json.push(',');
            }
            json.push_str(&item);
            rows += 1;
        }
        if rows > 0 {
            json.push(']');
            out.push(Step::Group { table, rows, json });
        }
        i = run_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Post, PostStatus};

    fn post(id: &str, markdown_len: usize) -> Change {
        Change::InsertPost(Post {
            id: id.into(),
            slug: id.into(),
            title: "T".into(),
            markdown: "x".repeat(markdown_len),
            status: PostStatus::Published,
            tags: vec!["a".into()],
            published_at: Some(1),
            updated_at: 2,
            version: 1,
        })
    }

    #[test]
    fn a_thousand_posts_are_a_handful_of_statements() {
        let changes: Vec<Change> = (0..1_000).map(|i| post(&format!("p{i}"), 3_000)).collect();
        let steps = steps(&changes);
        assert!(steps.len() <= 4, "{}", steps.len());
        let mut total = 0;
        for step in &steps {
            let Step::Group { table, rows, json } = step else {
                panic!("grouped")
            };
            assert_eq!(*table, Table::Posts);
            assert!(json.len() <= MAX_GROUP_BYTES);
            let parsed: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
            assert_eq!(parsed.len(), *rows);
            assert_eq!(parsed[0]["tags"], r#"["a"]"#);
            total += rows;
        }
        assert_eq!(total, 1_000);
    }

    #[test]
    fn a_single_insert_and_a_huge_one_keep_their_own_statements() {
        let changes = vec![
            post("a", 10),
            Change::DeletePage { id: "g".into() },
            post("b", 10),
            post("huge", MAX_GROUP_BYTES),
            post("c", 10),
        ];
        let steps = steps(&changes);
        assert_eq!(steps[0], Step::One(&changes[0]));
        assert_eq!(steps[1], Step::One(&changes[1]));
        assert!(matches!(&steps[2], Step::One(Change::InsertPost(p)) if p.id == "huge"));
        assert!(matches!(&steps[3], Step::Group { rows: 2, .. }));
        assert_eq!(steps.len(), 4);
    }
}
