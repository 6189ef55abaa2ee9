//! Doc comments from spec prose. Text from a spec must stay prose: it never becomes a doc
//! test, an attribute or code. Code fences are marked `text`, indentation that Markdown would
//! read as a code block is removed, and control characters are escaped.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for the given paragraphs (empty ones skipped).
pub fn doc_attrs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = "..."]` attributes, for module and crate docs.
pub fn inner_doc_attrs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote!(#(#![doc = #lines])*)
}

/// The lines of `#[doc]` attributes for the given paragraphs, each starting with the space
/// that follows `///` (or empty).
pub fn doc_lines<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> Vec<String> {
    let texts: Vec<String> = paragraphs
        .into_iter()
        .flatten()
        .map(sanitize)
        .filter(|text| !text.trim().is_empty())
        .collect();
    // Specs often repeat one text as `title` and `description` (or `summary` and
    // `description`); it is shown once. (Most docs have one paragraph: nothing to compare.)
    let keys: Vec<String> = if texts.len() > 1 {
        texts
            .iter()
            .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    } else {
        Vec::new()
    };
    let mut lines: Vec<String> = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        if let Some(key) = keys.get(i) {
            if keys.get(..i).unwrap_or_default().contains(key) {
                continue;
            }
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        for line in text.lines() {
            if line.is_empty() {
                lines.push(String::new());
            } else {
                let mut doc = String::with_capacity(line.len() + 1);
                doc.push(' ');
                doc.push_str(line);
                lines.push(doc);
            }
        }
    }
    lines
}

/// Makes one piece of spec prose safe and inert as Markdown in a doc comment.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut state = Prose::default();
    for raw_line in text.split(['\n']) {
        // Most lines are printable ASCII, with nothing to replace.
        if raw_line.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            state.line(raw_line, &mut out);
            continue;
        }
        let mut line = String::with_capacity(raw_line.len());
        for c in raw_line.chars() {
            match c {
                '\r' => {}
                '\t' => line.push(' '),
                // Bidirectional overrides and isolates could make the source read differently
                // from what it means; other control characters are invisible. Escape them.
                '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'
                | '\u{FEFF}' => line.extend(c.escape_unicode()),
                c if c.is_control() => line.extend(c.escape_unicode()),
                c => line.push(c),
            }
        }
        state.line(&line, &mut out);
    }
    if state.in_fence {
        out.push_str("```\n");
    }
    out.truncate(out.trim_end().len());
    out
}

/// Where [`sanitize`] is in the prose, from one line to the next.
#[derive(Default)]
struct Prose {
    in_fence: bool,
    list_indent: Option<usize>,
    /// The `>` markers of the block quote the previous line was in.
    quote: Option<String>,
}

impl Prose {
    /// Appends one line (its characters already made safe) and a line break.
    fn line(&mut self, line: &str, out: &mut String) {
        let trimmed = line.trim_start();
        if let Some(fence) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            self.quote = None;
            out.push_str(fence);
            if self.in_fence {
                self.in_fence = false;
            } else {
                self.in_fence = true;
                // Whatever language the spec names, rustdoc must not compile it.
                out.push_str("text");
            }
        } else if self.in_fence {
            out.push_str(line);
        } else {
            // Four leading spaces would make an (executable) indented code block, so indentation
            // is dropped; a line continuing a list item is indented by the item's marker width
            // instead, so it stays in the item.
            //
            // A line that continues a block quote's paragraph without its own `>` (a "lazy"
            // continuation, which Markdown puts in the quote) gets the quote's markers, so it
            // reads as it renders.
            let text = trimmed.trim_end();
            if text.is_empty() {
                self.list_indent = None;
                self.quote = None;
            } else if text.starts_with('>') {
                self.list_indent = None;
                let markers: String = text
                    .chars()
                    .take_while(|c| *c == '>' || *c == ' ')
                    .filter(|c| *c == '>')
                    .collect();
                self.quote = Some(markers);
            } else if let Some(width) = list_marker_width(text) {
                self.list_indent = Some(width);
                self.quote = None;
            } else if let Some(markers) = &self.quote {
                if text.starts_with('#') {
                    self.quote = None;
                } else {
                    out.push_str(markers);
                    out.push(' ');
                }
            } else if let Some(width) = self.list_indent {
                out.push_str(&" ".repeat(width));
            }
            out.push_str(text);
        }
        out.push('\n');
    }
}

/// The first sentence of `text` and what follows it, for a one-line summary when the document
/// gives only a description. `None` when the text does not start with a prose sentence (a
/// heading, a list, a quote, a table, a code fence or HTML), where a line cut from it would
/// not read as a summary. A sentence ends at `.`, `!` or `?` before whitespace, outside inline
/// code and not after an abbreviation such as `e.g.`, or at the end of the first paragraph.
pub fn first_sentence(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    let starts_block = ["#", "- ", "* ", "+ ", ">", "|", "<", "```", "~~~", "!["];
    if text.is_empty() || starts_block.iter().any(|p| text.starts_with(p)) {
        return None;
    }
    if list_marker_width(text).is_some() {
        return None;
    }
    let paragraph_end = text
        .match_indices('\n')
        .map(|(i, _)| i)
        .find(|&i| {
            text[i + 1..]
                .trim_start_matches([' ', '\t', '\r'])
                .starts_with('\n')
        })
        .unwrap_or(text.len());
    let paragraph = &text[..paragraph_end];
    let mut in_code = false;
    let mut end = paragraph.len();
    for (i, c) in paragraph.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '.' | '!' | '?' if !in_code => {
                let after = &paragraph[i + c.len_utf8()..];
                if !after.is_empty() && !after.starts_with(char::is_whitespace) {
                    continue;
                }
                let word = paragraph[..i]
                    .rsplit(char::is_whitespace)
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let abbreviation = c == '.'
                    && (word.contains('.')
                        || [
                            "e.g", "i.e", "etc", "vs", "cf", "approx", "incl", "eg", "ie",
                        ]
                        .contains(&word.as_str()));
                if !abbreviation && !after.is_empty() {
                    end = i + c.len_utf8();
                    break;
                }
            }
            _ => {}
        }
    }
    let sentence = paragraph[..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let rest = text[end..].trim().to_owned();
    (!sentence.is_empty()).then_some((sentence, rest))
}

/// The column where a Markdown list item's text starts (`- a` → 2, `*   a` → 4, `1. a` → 3),
/// if `line` starts a list item.
fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        let rest = line.get(digits..)?;
        if digits == 0 || digits > 9 || !(rest.starts_with('.') || rest.starts_with(')')) {
            return None;
        }
        digits + 1
    };
    let spaces = line
        .get(marker..)?
        .bytes()
        .take_while(|b| *b == b' ')
        .count();
    match spaces {
        0 => None,
        // Five or more spaces: the text is an indented code block inside the item; CommonMark
        // then puts the content one space after the marker.
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text() {
        let s = sanitize("Example:\n```rust\nfn main() {}\n```\nafter");
        assert_eq!(s, "Example:\n```text\nfn main() {}\n```\nafter");
    }

    #[test]
    fn list_continuations_stay_in_their_item() {
        assert_eq!(
            sanitize("* The lower bound\nmust be a multiple\n\nafter"),
            "* The lower bound\n  must be a multiple\n\nafter"
        );
        assert_eq!(
            sanitize("1. first\nmore\n2. second"),
            "1. first\n   more\n2. second"
        );
        assert_eq!(sanitize("*   wide\nmore"), "*   wide\n    more");
        assert_eq!(sanitize("**bold**\ntext"), "**bold**\ntext");
    }

    #[test]
    fn lazy_quote_continuations_get_their_markers() {
        assert_eq!(
            sanitize("The event.\n>Permitted values: `A`, `B`.\nFor more, see [x](y).\n\nafter"),
            "The event.\n>Permitted values: `A`, `B`.\n> For more, see [x](y).\n\nafter"
        );
        assert_eq!(sanitize("> > deep\nlazy"), "> > deep\n>> lazy");
        // A list or a heading after a quote starts a block of its own.
        assert_eq!(sanitize("> q\n- item\nmore"), "> q\n- item\n  more");
        assert_eq!(sanitize("> q\n# Title"), "> q\n# Title");
        // A quote line ends a list item's continuation lines.
        assert_eq!(sanitize("- item\n> q\nlazy"), "- item\n> q\n> lazy");
    }

    #[test]
    fn a_paragraph_repeated_is_shown_once() {
        let lines = doc_lines([
            Some("Workflow Run Usage"),
            Some("Workflow Run Usage\n"),
            Some("More."),
            Some("Workflow  Run\nUsage"),
        ]);
        assert_eq!(lines, [" Workflow Run Usage", "", " More."]);
        let lines = doc_lines([Some("Usage"), Some("Usage of a workflow run")]);
        assert_eq!(lines, [" Usage", "", " Usage of a workflow run"]);
    }

    #[test]
    fn unclosed_fence_is_closed() {
        assert_eq!(sanitize("```\nx"), "```text\nx\n```");
    }

    #[test]
    fn indented_code_and_controls_are_neutralised() {
        assert_eq!(sanitize("a\n\n    let x = 1;"), "a\n\nlet x = 1;");
        assert_eq!(sanitize("a\u{202E}b\r"), "a\\u{202e}b");
    }

    #[test]
    fn comment_terminators_stay_inside_the_string() {
        let text = "*/ /* #![deny(warnings)] \"quoted\" \\";
        let attrs = doc_attrs([Some(text)]);
        let file: syn::File = syn::parse2(quote!(#attrs pub struct S;)).expect("valid Rust");
        assert_eq!(file.items.len(), 1);
        let syn::Item::Struct(item) = &file.items[0] else {
            panic!("not a struct")
        };
        assert_eq!(item.attrs.len(), 1);
        let syn::Meta::NameValue(meta) = &item.attrs[0].meta else {
            panic!("not a doc attribute")
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = &meta.value
        else {
            panic!()
        };
        assert_eq!(s.value(), format!(" {text}"));
    }

    #[test]
    fn a_first_sentence_is_cut_from_prose_only() {
        let split = first_sentence;
        assert_eq!(
            split("Lists the users.\nPaged, e.g. by `page.size`. Newest first.\n\nMore."),
            Some((
                "Lists the users.".to_owned(),
                "Paged, e.g. by `page.size`. Newest first.\n\nMore.".to_owned()
            ))
        );
        assert_eq!(
            split("Returns the user (i.e. the owner) of\nthe key. Cached."),
            Some((
                "Returns the user (i.e. the owner) of the key.".to_owned(),
                "Cached.".to_owned()
            ))
        );
        assert_eq!(
            split("No full stop\n\nSecond."),
            Some(("No full stop".to_owned(), "Second.".to_owned()))
        );
        assert_eq!(
            split("Calls `a.b. c` first."),
            Some(("Calls `a.b. c` first.".to_owned(), String::new()))
        );
        for block in [
            "# Heading",
            "- item",
            "1. item",
            "```\ncode\n```",
            "<p>x</p>",
            "  ",
        ] {
            assert_eq!(split(block), None, "{block}");
        }
    }
}
