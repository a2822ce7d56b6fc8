//! Why a write was refused, and how that reads to a person or a program.

use serde::Serialize;

/// One invalid field, with a message for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: &str) -> Self {
        FieldError {
            field,
            message: message.to_string(),
        }
    }
}

/// A refused write. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// 422: fields that do not validate.
    Invalid(Vec<FieldError>),
    /// 400: a request that is not well-formed (bad JSON, unknown fields).
    BadRequest(String),
    /// 413: a body over the size limit.
    TooLarge(String),
    /// 409: a stale version or a taken slug.
    Conflict(String),
    /// 404: no such post or page (in this tenant).
    NotFound,
    /// 403: the write would take the blog over a quota of its plan.
    OverQuota {
        kind: crate::plans::QuotaKind,
        plan: crate::plans::Plan,
    },
    /// 503: storage failed; the message is for logs only.
    Store(String),
}

/// The JSON error body: `{error, message, field?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    pub error: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl WriteError {
    pub fn status(&self) -> u16 {
        match self {
            WriteError::Invalid(_) => 422,
            WriteError::BadRequest(_) => 400,
            WriteError::TooLarge(_) => 413,
            WriteError::Conflict(_) => 409,
            WriteError::NotFound => 404,
            WriteError::OverQuota { .. } => 403,
            WriteError::Store(_) => 503,
        }
    }

    /// What a client is told. Storage errors reveal nothing.
    pub fn to_api(&self) -> ApiError {
        let simple = |error, message: &str| ApiError {
            error,
            message: message.to_string(),
            field: None,
            fields: vec![],
        };
        match self {
            WriteError::Invalid(fields) => ApiError {
                error: "invalid",
                message: fields
                    .first()
                    .map_or_else(|| "Invalid input.".to_string(), |f| f.message.clone()),
                field: fields.first().map(|f| f.field),
                fields: fields.clone(),
            },
            WriteError::BadRequest(m) => simple("bad_request", m),
            WriteError::TooLarge(m) => simple("too_large", m),
            WriteError::Conflict(m) => simple("conflict", m),
            WriteError::NotFound => simple("not_found", "No such item."),
            WriteError::OverQuota { kind, plan } => ApiError {
                error: "quota_exceeded",
                message: kind.refusal(*plan),
                field: Some(kind.as_str()),
                fields: vec![],
            },
            WriteError::Store(_) => simple(
                "unavailable",
                "The change could not be saved. Nothing was changed; try again.",
            ),
        }
    }

    /// The message for a field, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            WriteError::Invalid(fields) => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.message.as_str()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_name_the_field_and_hide_storage_detail() {
        let e = WriteError::Invalid(vec![FieldError::new("title", "Give it a title.")]);
        let json = serde_json::to_value(e.to_api()).unwrap();
        assert_eq!(json["error"], "invalid");
        assert_eq!(json["field"], "title");
        assert_eq!(json["message"], "Give it a title.");
        let store = WriteError::Store("D1_ERROR: no such table: posts".into()).to_api();
        assert!(!store.message.contains("D1") && !store.message.contains("table"));
        assert_eq!(WriteError::Conflict("x".into()).status(), 409);
        let over = WriteError::OverQuota {
            kind: crate::plans::QuotaKind::Pages,
            plan: crate::plans::Plan::Free,
        };
        let json = serde_json::to_value(over.to_api()).unwrap();
        assert_eq!(
            (over.status(), &json["error"], &json["field"]),
            (403, &"quota_exceeded".into(), &"pages".into())
        );
        assert!(json["message"]
            .as_str()
            .unwrap()
            .contains("paid plan allows 100 pages"));
    }
}
