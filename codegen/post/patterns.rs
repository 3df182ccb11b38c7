//! Post-processing step `patterns_by_regex_lite`: the pattern checks typify
//! writes with `regress` run on `regex-lite`, and [`unsupported`], which
//! says when the two would disagree.
//!
//! typify checks a pattern-constrained string with `regress`, an
//! ECMAScript regex engine of about 40,000 lines (Unicode tables mostly)
//! that every build of the crate compiled for a few dozen patterns.
//! `regex-lite` is a fraction of that and agrees with ECMAScript on the
//! patterns OpenAPI contracts use (anchors, ASCII classes, `\w` and `\d`,
//! groups, alternation, counted repetition). Where it could disagree, or
//! cannot compile a pattern, the check is left out, said in the generated
//! file's header: the server still checks the value, and a contract that
//! changes a pattern never stops a build.

use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// Why `regex-lite` would not check `pattern` as ECMAScript does, or
/// `None` when it would.
pub fn unsupported(pattern: &str) -> Option<String> {
    if let Err(e) = regex_lite::Regex::new(pattern) {
        return Some(format!("regex-lite cannot compile it ({e})"));
    }
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('s' | 'S') => {
                    return Some("`\\s` is Unicode white space in ECMAScript".into());
                }
                Some(d @ '1'..='9') => return Some(format!("`\\{d}` is a back-reference")),
                Some(e @ ('k' | 'u' | 'x' | 'c' | 'p' | 'P' | '0')) => {
                    return Some(format!("`\\{e}` is written differently in ECMAScript"));
                }
                Some('b' | 'B') if in_class => {
                    return Some("`[\\b]` is a backspace in ECMAScript".into());
                }
                _ => {}
            },
            '[' if in_class => {
                return Some("`[` in a class is a nested class in regex-lite".into());
            }
            '[' => {
                in_class = true;
                chars.next_if_eq(&'^');
                if chars.peek() == Some(&']') {
                    return Some("`[]` is an empty class in ECMAScript".into());
                }
            }
            ']' if in_class => in_class = false,
            '&' | '-' | '~' if in_class && chars.peek() == Some(&c) => {
                return Some(format!(
                    "`{c}{c}` in a class is a set operation in regex-lite"
                ));
            }
            '.' if !in_class => {
                return Some("`.` also excludes \\r, U+2028 and U+2029 in ECMAScript".into());
            }
            '(' if chars.peek() == Some(&'?') => {
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.next() != Some(':') {
                    return Some("`(?` other than `(?:` is not ECMAScript's".into());
                }
            }
            _ => {}
        }
    }
    None
}

/// Post-processing step `patterns_by_regex_lite`: in every block, a
/// `static PATTERN` built with `regress::Regex::new("…")` is built with
/// `regex_lite::Regex::new("…")` when [`unsupported`] finds nothing, and is
/// removed with the statement after it that uses it (the check) otherwise.
/// Fails when `regress` is still named anywhere afterwards. Returns one
/// line per pattern: checked by regex-lite, or left to the server and why.
pub fn patterns_by_regex_lite(file: &mut syn::File) -> Result<Vec<String>, String> {
    let mut rewrite = Rewrite::default();
    rewrite.visit_file_mut(file);
    let mut left = Named::default();
    left.visit_file(file);
    if left.0 {
        return Err(
            "`regress` is still named after patterns_by_regex_lite: a pattern \
                    check of a shape this step does not know"
                .into(),
        );
    }
    Ok(rewrite.changes)
}

#[derive(Default)]
struct Rewrite {
    changes: Vec<String>,
}

impl VisitMut for Rewrite {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let mut kept = Vec::with_capacity(block.stmts.len());
        let mut drop_next_use = false;
        for mut stmt in std::mem::take(&mut block.stmts) {
            if drop_next_use {
                drop_next_use = false;
                if names(&stmt, "PATTERN") {
                    continue;
                }
            }
            if let syn::Stmt::Item(syn::Item::Static(s)) = &mut stmt
                && let Some(pattern) = regress_pattern(&s.expr)
            {
                match unsupported(&pattern) {
                    None => {
                        RegressToRegexLite.visit_item_static_mut(s);
                        self.changes
                            .push(format!("{pattern:?} checked by regex-lite"));
                    }
                    Some(why) => {
                        self.changes
                            .push(format!("{pattern:?} not checked on the client: {why}"));
                        drop_next_use = true;
                        continue;
                    }
                }
            }
            kept.push(stmt);
        }
        block.stmts = kept;
        syn::visit_mut::visit_block_mut(self, block);
    }
}

/// The literal of a `regress::Regex::new("…")` call inside `expr`.
fn regress_pattern(expr: &syn::Expr) -> Option<String> {
    struct Find(Option<String>);
    impl<'a> Visit<'a> for Find {
        fn visit_expr_call(&mut self, call: &'a syn::ExprCall) {
            if let syn::Expr::Path(p) = &*call.func
                && p.path.segments.len() == 3
                && p.path.segments[0].ident == "regress"
                && p.path.segments[2].ident == "new"
                && let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                })) = call.args.first()
            {
                self.0 = Some(s.value());
            }
            syn::visit::visit_expr_call(self, call);
        }
    }
    let mut find = Find(None);
    find.visit_expr(expr);
    find.0
}

/// Whether `stmt` names the identifier `ident`.
fn names(stmt: &syn::Stmt, ident: &str) -> bool {
    struct Find<'i>(&'i str, bool);
    impl<'a> Visit<'a> for Find<'_> {
        fn visit_ident(&mut self, i: &'a proc_macro2::Ident) {
            self.1 |= i == self.0;
        }
    }
    let mut find = Find(ident, false);
    find.visit_stmt(stmt);
    find.1
}

/// `regress::…` paths become `regex_lite::…`.
struct RegressToRegexLite;

impl VisitMut for RegressToRegexLite {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if let Some(first) = path.segments.first_mut()
            && first.ident == "regress"
        {
            first.ident = syn::Ident::new("regex_lite", first.ident.span());
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// Whether any path still starts with `regress`.
#[derive(Default)]
struct Named(bool);

impl<'a> Visit<'a> for Named {
    fn visit_path(&mut self, path: &'a syn::Path) {
        self.0 |= path.segments.first().is_some_and(|s| s.ident == "regress");
        syn::visit::visit_path(self, path);
    }
}
