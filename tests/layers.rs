//! The floors as a test: every `crate::…` path in `src/` (in `use` items, in code, and inside
//! macros) is held to the layer table of `docs/architecture.md` ("What each layer may import"),
//! and the areas of `src/app/` must import one another in one direction only — a cycle between
//! two areas fails here, naming the files that close it. Parsed with `syn`; test code is left
//! out. The last two tests run the same check on a broken copy of `src/`, so the check itself
//! is shown to fail.
#![allow(clippy::unwrap_used)]

mod source;

use source::rust_files;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One `crate::…` path a file names: the file, its module, the path (after `crate`).
#[derive(Debug, Clone)]
struct Import {
    file: String,
    module: Vec<String>,
    target: Vec<String>,
}

/// `src/app/analytics/links.rs` → `[app, analytics, links]`; `mod.rs` is its folder.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let mut test = false;
        if a.path().is_ident("cfg") {
            let _ = a.parse_nested_meta(|m| {
                test |= m.path.is_ident("test");
                Ok(())
            });
        }
        test || a.path().is_ident("test")
    })
}

/// Paths as segments, resolved against the file's module: `super::x` from `[app, jobs]` is
/// `[app, x]`. `None` for paths that are not ours (another crate's, a local name).
fn resolve(module: &[String], segments: &[String]) -> Option<Vec<String>> {
    let first = segments.first()?;
    match first.as_str() {
        "crate" => Some(segments[1..].to_vec()),
        "super" | "self" => {
            let mut base = module.to_vec();
            let mut rest = segments;
            while let Some(s) = rest.first() {
                match s.as_str() {
                    "super" => {
                        base.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            Some(base)
        }
        _ => None,
    }
}

struct Collect<'a> {
    module: &'a [String],
    found: Vec<Vec<String>>,
}

impl Collect<'_> {
    fn add(&mut self, segments: Vec<String>) {
        if let Some(target) = resolve(self.module, &segments)
            && !target.is_empty()
        {
            self.found.push(target);
        }
    }

    fn use_tree(&mut self, prefix: Vec<String>, tree: &syn::UseTree) {
        let with = |mut p: Vec<String>, s: String| {
            p.push(s);
            p
        };
        match tree {
            syn::UseTree::Path(p) => self.use_tree(with(prefix, p.ident.to_string()), &p.tree),
            syn::UseTree::Name(n) if n.ident == "self" => self.add(prefix),
            syn::UseTree::Name(n) => self.add(with(prefix, n.ident.to_string())),
            syn::UseTree::Rename(r) => self.add(with(prefix, r.ident.to_string())),
            syn::UseTree::Glob(_) => self.add(prefix),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix.clone(), t);
                }
            }
        }
    }

    /// `crate :: a :: b` (and `$crate :: …`) inside a macro's tokens, which `syn` leaves unparsed.
    fn tokens(&mut self, tokens: TokenStream) {
        let list: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, t) in list.iter().enumerate() {
            match t {
                TokenTree::Group(g) => self.tokens(g.stream()),
                TokenTree::Ident(id) if id == "crate" || id == "super" => {
                    let mut segments = vec![id.to_string()];
                    let mut j = i + 1;
                    while let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) =
                        (list.get(j), list.get(j + 1))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        match list.get(j + 2) {
                            Some(TokenTree::Ident(next)) => segments.push(next.to_string()),
                            _ => break,
                        }
                        j += 3;
                    }
                    let preceded_by_colons =
                        i > 0 && matches!(&list[i - 1], TokenTree::Punct(p) if p.as_char() == ':');
                    if segments.len() > 1 && !preceded_by_colons {
                        self.add(segments);
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for Collect<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        if !is_test(&u.attrs) {
            self.use_tree(Vec::new(), &u.tree);
        }
    }
    fn visit_path(&mut self, p: &'ast syn::Path) {
        self.add(p.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, p);
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.tokens(m.tokens.clone());
        syn::visit::visit_macro(self, m);
    }
}

fn imports(src: &Path) -> Vec<Import> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // `x/tests.rs` is the `#[cfg(test)] mod tests;` of its parent; the binary is not a layer.
        if name == "tests.rs"
            || path.parent() == Some(src) && (name == "main.rs" || name == "lib.rs")
        {
            continue;
        }
        let module = module_of(src, &path);
        let text = std::fs::read_to_string(&path).unwrap();
        let file = syn::parse_file(&text).unwrap();
        let mut c = Collect {
            module: &module,
            found: Vec::new(),
        };
        c.visit_file(&file);
        let shown = path.strip_prefix(src).unwrap().display().to_string();
        out.extend(c.found.into_iter().map(|target| Import {
            file: shown.clone(),
            module: module.clone(),
            target,
        }));
    }
    out
}

/// The table under "What each layer may import": each layer and the paths it may name
/// (`app`, or a part of a layer such as `adapters::local_blobs`; "everything" for the wiring).
fn layer_table(doc: &str) -> BTreeMap<String, Option<Vec<Vec<String>>>> {
    let start = doc
        .find("What each layer may import")
        .expect("the layer table");
    let mut table = BTreeMap::new();
    for line in doc[start..].lines().skip(1) {
        let line = line.trim();
        if table.is_empty() && !line.starts_with('|') {
            continue;
        }
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let ticked = |cell: &str| -> Vec<String> {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect()
        };
        let (Some(layers), Some(allowed)) = (cells.first(), cells.get(1)) else {
            continue;
        };
        let allowed = if allowed.contains("everything") {
            None
        } else {
            Some(
                ticked(allowed)
                    .iter()
                    .map(|a| a.split("::").map(str::to_owned).collect())
                    .collect(),
            )
        };
        for layer in ticked(layers) {
            table.insert(layer, allowed.clone());
        }
    }
    assert!(table.len() >= 8, "layer table not found: {table:?}");
    table
}

fn layer_problems(src: &Path, doc: &str) -> Vec<String> {
    let table = layer_table(doc);
    let mut problems = BTreeSet::new();
    for i in imports(src) {
        let (from, to) = (&i.module[0], &i.target[0]);
        if from == to {
            continue;
        }
        let Some(rule) = table.get(from) else {
            problems.insert(format!(
                "{}: layer `{from}` is not in the layer table",
                i.file
            ));
            continue;
        };
        let Some(allowed) = rule else { continue };
        let ok = allowed.iter().any(|a| i.target.starts_with(a));
        if !ok {
            let path = i.target.join("::");
            problems.insert(format!(
                "{}: `{from}` may not import `crate::{path}`",
                i.file
            ));
        }
    }
    problems.into_iter().collect()
}

/// What `app/mod.rs` re-exports, by name: the module it comes from (`AppError` → `error`).
fn app_reexports(src: &Path) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(src.join("app/mod.rs")).unwrap();
    let file = syn::parse_file(&text).unwrap();
    let mut map = BTreeMap::new();
    for item in file.items {
        let syn::Item::Use(u) = item else { continue };
        let module = vec!["app".to_owned()];
        let mut c = Collect {
            module: &module,
            found: Vec::new(),
        };
        c.use_tree(Vec::new(), &u.tree);
        // `pub use error::AppError;` is written relative to `app`.
        let mut plain = Vec::new();
        flatten(Vec::new(), &u.tree, &mut plain);
        for p in plain {
            let name = p.last().unwrap().clone();
            let target = resolve(&module, &p).unwrap_or_else(|| {
                let mut t = module.clone();
                t.extend(p.clone());
                t
            });
            map.insert(name, target);
        }
    }
    map
}

fn flatten(prefix: Vec<String>, tree: &syn::UseTree, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            let mut next = prefix;
            next.push(p.ident.to_string());
            flatten(next, &p.tree, out);
        }
        syn::UseTree::Name(n) => {
            let mut p = prefix;
            p.push(n.ident.to_string());
            out.push(p);
        }
        syn::UseTree::Rename(r) => {
            let mut p = prefix;
            p.push(r.ident.to_string());
            out.push(p);
        }
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten(prefix.clone(), t, out);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

/// The area of `src/app/` a path lands in (`None` outside `app`); `mod` is `app/mod.rs`.
fn area_of(
    src: &Path,
    target: &[String],
    reexports: &BTreeMap<String, Vec<String>>,
) -> Option<String> {
    if target.first().map(String::as_str) != Some("app") {
        return None;
    }
    let Some(second) = target.get(1) else {
        return Some("mod".to_owned());
    };
    let is_module = src.join("app").join(format!("{second}.rs")).exists()
        || src.join("app").join(second).is_dir();
    if is_module {
        return Some(second.clone());
    }
    match reexports.get(second) {
        Some(to) if to.first().map(String::as_str) == Some("app") => area_of(src, to, reexports),
        Some(_) => None,
        None => Some("mod".to_owned()),
    }
}

/// Every cycle between areas of `src/app/`, each as the areas and one file per edge.
fn app_cycles(src: &Path) -> Vec<String> {
    let reexports = app_reexports(src);
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for i in imports(src).into_iter().filter(|i| i.module[0] == "app") {
        let from = i.module.get(1).cloned().unwrap_or_else(|| "mod".to_owned());
        let Some(to) = area_of(src, &i.target, &reexports) else {
            continue;
        };
        if from != to {
            let by = edges.entry(from).or_default();
            by.entry(to).or_insert(i.file);
        }
    }
    let mut cycles = BTreeSet::new();
    for start in edges.keys() {
        // The shortest way back to `start`, breadth first.
        let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([vec![start.clone()]]);
        while let Some(path) = queue.pop_front() {
            let last = path.last().unwrap();
            for next in edges.get(last).into_iter().flat_map(|m| m.keys()) {
                if next == start {
                    let mut ring = path.clone();
                    let min = ring
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, a)| (*a).clone())
                        .unwrap()
                        .0;
                    ring.rotate_left(min);
                    let shown: Vec<String> = (0..ring.len())
                        .map(|k| {
                            let (a, b) = (&ring[k], &ring[(k + 1) % ring.len()]);
                            format!("{a} → {b} ({})", edges[a][b])
                        })
                        .collect();
                    cycles.insert(shown.join(", "));
                } else if !seen.contains_key(next) {
                    seen.insert(next.clone(), path.clone());
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    queue.push_back(longer);
                }
            }
        }
    }
    cycles.into_iter().collect()
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("docs/architecture.md")).unwrap()
}

#[test]
fn every_layer_imports_only_what_the_layer_table_allows() {
    let problems = layer_problems(&root().join("src"), &architecture());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_areas_of_app_import_one_another_in_one_direction() {
    let cycles = app_cycles(&root().join("src"));
    assert!(
        cycles.is_empty(),
        "import cycles between areas of src/app/: {cycles:#?}"
    );
}

/// A copy of `src/` with `line` appended to `file`.
fn broken_copy(file: &str, line: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for f in files {
        let to = dir.path().join(f.strip_prefix(&src).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&f, &to).unwrap();
    }
    let target = dir.path().join(file);
    let mut text = std::fs::read_to_string(&target).unwrap();
    text.push_str(line);
    std::fs::write(&target, text).unwrap();
    dir
}

#[test]
fn a_door_that_imports_the_other_door_fails_the_check() {
    let copy = broken_copy("http/jobs.rs", "\nuse crate::web::form::Errors;\n");
    let problems = layer_problems(copy.path(), &architecture());
    assert_eq!(
        problems,
        ["http/jobs.rs: `http` may not import `crate::web::form::Errors`"]
    );
    // Inside a macro too, as `$crate::…`.
    let macro_use = "\nmacro_rules! m { () => { $crate::http::no_route() }; }\n";
    let copy = broken_copy("web/form.rs", macro_use);
    let problems = layer_problems(copy.path(), &architecture());
    assert_eq!(
        problems,
        ["web/form.rs: `web` may not import `crate::http::no_route`"]
    );
}

#[test]
fn an_area_that_imports_back_fails_the_check() {
    // `images` uses `jobs`; `jobs` naming a worker by name would close the circle.
    let copy = broken_copy(
        "app/jobs.rs",
        "\nfn worker() { let _ = super::images::run; }\n",
    );
    let cycles = app_cycles(copy.path());
    let back = "images → jobs (app/images.rs), jobs → images (app/jobs.rs)";
    assert!(cycles.iter().any(|c| c == back), "{cycles:#?}");
}
