//! File parts of multipart request bodies.

// Shared by every API with multipart bodies; one whose bodies carry no files, or only files,
// leaves a helper unused.
#![allow(dead_code)]

/// A file sent as one part of a `multipart/form-data` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The file's content.
    pub bytes: Vec<u8>,
    /// The file name sent with the part, if any.
    pub file_name: Option<String>,
    /// The part's media type, e.g. `image/png`; `application/octet-stream` when unset.
    pub content_type: Option<String>,
}

impl Upload {
    /// A part holding `bytes`, without a file name or media type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Upload {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent with the part.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the part's media type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    pub(crate) fn to_part(&self) -> Result<reqwest::multipart::Part, String> {
        let mut part = reqwest::multipart::Part::bytes(self.bytes.clone());
        if let Some(file_name) = &self.file_name {
            part = part.file_name(file_name.clone());
        }
        let content_type = self.content_type.as_deref().unwrap_or("application/octet-stream");
        part.mime_str(content_type)
            .map_err(|e| format!("invalid media type `{content_type}` for an upload: {e}"))
    }
}

/// A multipart form with one text part per property of `body` (for bodies without files).
pub(crate) fn text_form<T: serde::Serialize>(body: &T) -> Result<reqwest::multipart::Form, String> {
    let value = serde_json::to_value(body).map_err(|e| format!("the body cannot be encoded: {e}"))?;
    let serde_json::Value::Object(map) = value else {
        return Err("a multipart body must be an object".to_owned());
    };
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in map {
        let text = match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        };
        form = form.text(name, text);
    }
    Ok(form)
}
