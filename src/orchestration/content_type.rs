//! The content type of an uploaded document's file part.
//!
//! The server stores a document's content type from its metadata, or else
//! from the type of the file part, and hands it back on download; a text
//! file sent as `application/octet-stream` comes back as one. So a file
//! part carries the type the caller gave, or else one inferred from the
//! file name's extension by the small table below (no dependency on a MIME
//! database: these are the files processes commonly attach), and
//! `application/octet-stream` for anything else.

use http::HeaderValue;

/// The type of a file part whose type is neither given nor known.
pub(crate) const OCTET_STREAM: &str = "application/octet-stream";

/// Extensions (lowercase) and the content types inferred from them.
///
/// BPMN and DMN files are XML; Camunda forms are JSON.
pub(crate) const BY_EXTENSION: [(&str, &str); 24] = [
    ("txt", "text/plain"),
    ("csv", "text/csv"),
    ("html", "text/html"),
    ("htm", "text/html"),
    ("md", "text/markdown"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("bpmn", "application/xml"),
    ("dmn", "application/xml"),
    ("form", "application/json"),
    ("pdf", "application/pdf"),
    ("zip", "application/zip"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("svg", "image/svg+xml"),
    ("webp", "image/webp"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("eml", "message/rfc822"),
    ("mp4", "video/mp4"),
];

/// The content type inferred from `file_name`'s extension (case does not
/// matter), or `application/octet-stream`.
pub(crate) fn infer(file_name: &str) -> &'static str {
    let Some((_, extension)) = file_name.rsplit_once('.') else {
        return OCTET_STREAM;
    };
    BY_EXTENSION
        .iter()
        .find(|(known, _)| extension.eq_ignore_ascii_case(known))
        .map_or(OCTET_STREAM, |(_, content_type)| content_type)
}

/// Checks a content type given by the caller: `type/subtype`, optionally
/// with parameters, and nothing that would end the part's header line.
pub(crate) fn check(content_type: &str) -> Result<(), String> {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let well_formed = essence
        .split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub));
    if well_formed && HeaderValue::from_str(content_type).is_ok() {
        Ok(())
    } else {
        Err(format!(
            "content type {content_type:?} is not a media type such as \"text/plain\" or \"application/pdf\""
        ))
    }
}

/// An HTTP token (RFC 9110): the characters a media type's type and subtype
/// are made of.
fn token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_extensions_in_any_case() {
        assert_eq!(infer("notes.txt"), "text/plain");
        assert_eq!(infer("INVOICE.PDF"), "application/pdf");
        assert_eq!(infer("photo.Jpeg"), "image/jpeg");
        assert_eq!(infer("order.bpmn"), "application/xml");
        assert_eq!(infer("approval.form"), "application/json");
        assert_eq!(infer("archive.tar.zip"), "application/zip");
    }

    #[test]
    fn unknown_or_missing_extensions_are_octet_stream() {
        for name in ["data.bin", "README", "", ".", "trailing."] {
            assert_eq!(infer(name), OCTET_STREAM, "{name:?}");
        }
    }

    #[test]
    fn every_extension_is_lowercase_and_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (extension, content_type) in BY_EXTENSION {
            assert_eq!(extension, extension.to_ascii_lowercase());
            assert!(seen.insert(extension), "{extension} twice");
            assert!(check(content_type).is_ok(), "{content_type}");
        }
    }

    /// `CreateDocument`'s rustdoc shows the table: each row there.
    #[test]
    fn the_documented_table_is_this_one() {
        let docs = include_str!("documents.rs");
        for (extension, content_type) in BY_EXTENSION {
            let row = docs
                .lines()
                .find(|l| l.starts_with("/// | `") && l.contains(&format!("`{extension}`")))
                .unwrap_or_else(|| panic!("{extension} is not in CreateDocument's table"));
            assert!(row.ends_with(&format!("| `{content_type}` |")), "{row}");
        }
    }

    #[test]
    fn a_given_type_must_be_a_media_type_on_one_line() {
        assert!(check("text/plain; charset=utf-8").is_ok());
        assert!(check("application/vnd.acme+json").is_ok());
        for bad in [
            "",
            "text",
            "/plain",
            "text/",
            "text/plain\r\nX-Evil: 1",
            "a b/c",
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
    }
}
