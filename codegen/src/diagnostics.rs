//! Diagnostics: what went wrong or looks odd, and exactly where in the user's document.

use std::fmt;

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something odd that the generator worked around; the output is still complete and sound.
    /// Under `strict` every warning fails the run.
    Warning,
    /// The document (or part of it) cannot be given a meaning.
    Error,
}

/// One problem found in a document, located by file, JSON pointer and (when known) line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The name of the document as the user gave it (usually its path).
    pub file: String,
    /// JSON pointer into the original document, e.g. `#/paths/~1users/post/requestBody`.
    pub pointer: String,
    /// 1-based line and column, for syntax errors.
    pub line_column: Option<(usize, usize)>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            pointer: pointer.into(),
            line_column: None,
            message: message.into(),
        }
    }

    pub fn warning(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pointer, message)
        }
    }

    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line_column = Some((line, column));
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{kind}: {}", self.file)?;
        if let Some((line, column)) = self.line_column {
            write!(f, ":{line}:{column}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " at {}", self.pointer)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Builds JSON pointers (RFC 6901) in the `#/a/b` form used by `$ref`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the document root, `#`.
    pub fn root() -> Self {
        Pointer(String::from("#"))
    }

    /// Parses a local `$ref` such as `#/components/schemas/Pet`.
    pub fn from_ref(reference: &str) -> Option<Self> {
        (reference == "#" || reference.starts_with("#/")).then(|| Pointer(reference.to_owned()))
    }

    /// This pointer extended by one segment, escaped as RFC 6901 requires.
    ///
    /// The loader builds one for every node of the document (millions for the largest), so
    /// this writes straight into one buffer: one allocation per pointer.
    pub fn push(&self, segment: impl Segment) -> Self {
        let mut out = String::with_capacity(self.0.len() + 24);
        out.push_str(&self.0);
        out.push('/');
        segment.write_to(&mut Escaped(&mut out));
        Pointer(out)
    }

    /// The unescaped segments after `#`.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .strip_prefix('#')
            .unwrap_or(&self.0)
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a pointer segment can be made of: a key or an index. Written without `format!`,
/// whose machinery cost more than the rest of [`Pointer::push`] together.
pub trait Segment {
    /// Appends the segment, unescaped, to `out` (which escapes it).
    #[doc(hidden)]
    fn write_to(&self, out: &mut Escaped<'_>);
}

impl Segment for str {
    fn write_to(&self, out: &mut Escaped<'_>) {
        out.push(self);
    }
}

impl Segment for String {
    fn write_to(&self, out: &mut Escaped<'_>) {
        out.push(self);
    }
}

impl Segment for usize {
    fn write_to(&self, out: &mut Escaped<'_>) {
        // Digits need no escaping.
        let mut digits = [0u8; 20];
        let mut n = *self;
        let mut start = digits.len();
        loop {
            start -= 1;
            // `n % 10` is a single digit.
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &digit in &digits[start..] {
            out.0.push(char::from(digit));
        }
    }
}

impl<T: Segment + ?Sized> Segment for &T {
    fn write_to(&self, out: &mut Escaped<'_>) {
        (**self).write_to(out);
    }
}

/// Appends text to a pointer, escaping `~` and `/` as RFC 6901 requires.
pub struct Escaped<'a>(&'a mut String);

impl Escaped<'_> {
    fn push(&mut self, text: &str) {
        if !text.contains(['~', '/']) {
            self.0.push_str(text);
            return;
        }
        for c in text.chars() {
            match c {
                '~' => self.0.push_str("~0"),
                '/' => self.0.push_str("~1"),
                c => self.0.push(c),
            }
        }
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slashes_and_tildes() {
        let p = Pointer::root()
            .push("paths")
            .push("/users/{id}")
            .push("a~b");
        assert_eq!(p.as_str(), "#/paths/~1users~1{id}/a~0b");
        let back: Vec<String> = p.segments().collect();
        assert_eq!(back, ["paths", "/users/{id}", "a~b"]);
    }

    #[test]
    fn pointer_segments_of_every_kind_read_as_written() {
        let name = String::from("a/b");
        let p = Pointer::root()
            .push(0)
            .push(7usize)
            .push(1_234_567_890usize)
            .push(usize::MAX)
            .push(&name)
            .push(name.as_str());
        let expected = format!("#/0/7/1234567890/{}/a~1b/a~1b", usize::MAX);
        assert_eq!(p.as_str(), expected);
    }

    #[test]
    fn display_names_file_line_and_pointer() {
        let d = Diagnostic::error("spec.yaml", "#/paths", "bad").at_line(3, 7);
        assert_eq!(d.to_string(), "error: spec.yaml:3:7 at #/paths: bad");
    }
}
