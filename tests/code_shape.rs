//! The shape of `src/`: no function longer than 60 lines and no file longer than 340 lines,
//! tests excluded (docs/architecture.md, "How we write code"). Parsed with `syn`, so a function
//! is a function wherever it stands: free, in an `impl`, or a trait's default body.
#![allow(clippy::unwrap_used)]

mod source;

use source::rust_files;

use std::path::Path;

use syn::spanned::Spanned;
use syn::visit::Visit;

const MAX_FN_LINES: usize = 60;
const MAX_FILE_LINES: usize = 340;

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let path = a.path();
        let text = quote_path(path);
        text == "test" || text.ends_with("::test") || (text == "cfg" && cfg_test(a))
    })
}

fn quote_path(p: &syn::Path) -> String {
    p.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

fn cfg_test(a: &syn::Attribute) -> bool {
    let mut test = false;
    let _ = a.parse_nested_meta(|m| {
        test |= m.path.is_ident("test");
        Ok(())
    });
    test
}

/// Long functions, and the lines of `#[cfg(test)]` code, of one file.
#[derive(Default)]
struct Shape {
    long: Vec<(String, usize, usize)>,
    test_lines: usize,
}

impl Shape {
    fn function(&mut self, name: String, span: proc_macro2::Span) {
        let lines = span.end().line - span.start().line + 1;
        if lines > MAX_FN_LINES {
            self.long.push((name, span.start().line, lines));
        }
    }
}

impl<'ast> Visit<'ast> for Shape {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if is_test(&m.attrs) {
            self.test_lines += m.span().end().line - m.span().start().line + 1;
            return;
        }
        syn::visit::visit_item_mod(self, m);
    }
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test(&f.attrs) {
            self.function(f.sig.ident.to_string(), f.span());
        }
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.function(f.sig.ident.to_string(), f.span());
        syn::visit::visit_impl_item_fn(self, f);
    }
    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if f.default.is_some() {
            self.function(f.sig.ident.to_string(), f.span());
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

fn shape_problems(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(root, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for path in files {
        // `foo/tests.rs` files are the `#[cfg(test)] mod tests;` of their parent.
        if path.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let file = syn::parse_file(&text).unwrap();
        let mut shape = Shape::default();
        shape.visit_file(&file);
        let shown = path.strip_prefix(root).unwrap().display().to_string();
        for (name, line, lines) in shape.long {
            problems.push(format!("{shown}:{line}: fn {name} is {lines} lines"));
        }
        let lines = text.lines().count() - shape.test_lines;
        if lines > MAX_FILE_LINES {
            problems.push(format!("{shown}: {lines} lines outside tests"));
        }
    }
    problems
}

#[test]
fn functions_and_files_stay_short() {
    let problems = shape_problems(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_check_sees_a_long_function_in_an_impl_and_ignores_tests() {
    let dir = tempfile::tempdir().unwrap();
    let body = "    let x = 1;\n".repeat(MAX_FN_LINES);
    let text = format!(
        "struct S;\nimpl S {{\n    fn long(&self) {{\n{body}    }}\n}}\n\
         #[cfg(test)]\nmod tests {{\n    fn also_long() {{\n{body}    }}\n}}\n"
    );
    std::fs::write(dir.path().join("a.rs"), text).unwrap();
    let problems = shape_problems(dir.path());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("fn long is"), "{problems:?}");
}
