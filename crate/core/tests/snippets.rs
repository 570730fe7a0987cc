//! Golden tests over the real sites' DOM, as public evidence shows it (`shared/REAL-DOM.md`,
//! section 3): each snippet under `tests/snippets/` names its source at its top. The bundled
//! packs and the structural reading must read each one as the real page means it.

mod support;

use ask_first_core::page::{self, structure, Page};
use support::html::HtmlPage;

#[test]
fn the_test_page_speaks_enough_css() {
    let page = HtmlPage::parse(
        r#"<div role="dialog"><input type="checkbox" checked><span class="a b">x</span>
           <button disabled>Go</button></div><p hidden><span>y</span></p>"#,
    );
    let root = page.root().unwrap();
    assert_eq!(page.select(&root, "[role=dialog]:has(.b)").len(), 1);
    assert_eq!(page.select(&root, "input[type=checkbox]:checked").len(), 1);
    assert_eq!(page.select(&root, "button:not(:disabled)").len(), 0);
    assert_eq!(page.select(&root, "[class*=B i]").len(), 1);
    let span = page.find("p span");
    assert!(!page.is_shown(&span));
    let dialog = page.find("[role=dialog]");
    assert!(page.is_shown(&dialog));
    assert_eq!(page::text_of(&page, &dialog), "x Go");
    let mut memory = structure::StructureMemory::default();
    assert_eq!(structure::gather(&page, &mut memory).len(), 1);
}
