//! Identifier casing shared by the code-generation steps.
//!
//! progenitor and typify turn names into Rust identifiers with the `heck`
//! crate. The steps here must predict those identifiers (to register type
//! replacements and to know which method names will exist), so this module
//! splits words the same way: at non-alphanumeric separators, at a
//! lower-case-to-upper-case change, and before the last capital of an
//! acronym that is followed by a lower-case letter (`IPRange` → `IP`,
//! `Range`).

/// Splits `input` into words the way `heck` does.
pub fn words(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in input.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let prev = chars[i - 1];
            let cur = chars[i];
            let next = chars.get(i + 1).copied();
            let lower_to_upper =
                (prev.is_lowercase() || prev.is_ascii_digit()) && cur.is_uppercase();
            let acronym_end =
                prev.is_uppercase() && cur.is_uppercase() && next.is_some_and(char::is_lowercase);
            if lower_to_upper || acronym_end {
                out.push(chars[start..i].iter().collect());
                start = i;
            }
        }
        if start < chars.len() {
            out.push(chars[start..].iter().collect());
        }
    }
    out
}

/// `snake_case` of `input`, as progenitor names methods.
pub fn snake(input: &str) -> String {
    words(input)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `PascalCase` of `input`, as typify names types.
pub fn pascal(input: &str) -> String {
    words(input)
        .iter()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}
