//! What Ask First shows inside a page, drawn by the renderer `extension/content/ui.js` from the
//! views core writes ([`ask_first_core::view`]). The content core decides what to show and what
//! the user's clicks mean; the renderer only draws (every text as text, in shadow roots) and
//! passes the user's own clicks back (see [`Ui::listen`]).

use ask_first_core::view::{Overlay, OverlayKind};
use wasm_bindgen::prelude::*;
use web_sys::Element;

#[wasm_bindgen]
extern "C" {
    /// The renderer (`askFirstUi` of `ui.js`), handed over by the loader like the extension
    /// API: a module imported into the page's world must not look it up as a global.
    pub type Ui;

    /// Sets the handler for the user's actions in an overlay: `(action, detail)`.
    #[wasm_bindgen(method)]
    pub fn listen(this: &Ui, handler: &js_sys::Function);

    /// Draws a view (JSON; `None`: as drawn before) into `host` (`None`: a new one) and keeps
    /// the host in `parent`, first or last. Returns the host.
    #[wasm_bindgen(method, catch)]
    fn draw(
        this: &Ui,
        host: Option<Element>,
        view: Option<String>,
        parent: &Element,
        first: bool,
    ) -> Result<Element, JsValue>;

    /// Focuses the gate's first control.
    #[wasm_bindgen(method)]
    pub fn focus(this: &Ui, host: &Element);

    /// Sets the gate's status line.
    #[wasm_bindgen(method)]
    pub fn status(this: &Ui, host: &Element, text: &str);

    /// Shows the gate's "they said yes" panel, focusing its first box when `focus`.
    #[wasm_bindgen(method, js_name = showYes)]
    pub fn show_yes(this: &Ui, host: &Element, focus: bool);

    /// Disables the panel's boxes of the space-separated `keys`.
    #[wasm_bindgen(method)]
    pub fn disable(this: &Ui, host: &Element, keys: &str);

    /// Copies the gate's message; resolves to whether it was copied.
    #[wasm_bindgen(method)]
    pub fn copy(this: &Ui, host: &Element) -> js_sys::Promise;
}

/// One overlay on the page: its host and the view it shows.
pub struct Shown {
    pub host: Element,
    kind: OverlayKind,
    view: String,
}

impl Shown {
    /// Our own host, out of the page (never a node of the site).
    pub fn remove(&self) {
        self.host.remove();
    }
}

/// Shows `overlay` in `parent` (as its first child or its last), in the host `shown` already
/// has when it is of the same kind (redrawn only when the view changed, so our own mutations
/// settle), else in a new one, the old one removed.
pub fn show(
    ui: &Ui,
    shown: &mut Option<Shown>,
    overlay: &Overlay,
    parent: &Element,
    first: bool,
) -> Result<(), JsValue> {
    let view = overlay.to_json();
    if shown.as_ref().is_some_and(|old| old.kind != overlay.kind) {
        hide(shown);
    }
    let unchanged = shown.as_ref().is_some_and(|old| old.view == view);
    let host = ui.draw(
        shown.as_ref().map(|old| old.host.clone()),
        (!unchanged).then(|| view.clone()),
        parent,
        first,
    )?;
    *shown = Some(Shown {
        host,
        kind: overlay.kind,
        view,
    });
    Ok(())
}

/// Takes the overlay `shown` off the page, if there is one.
pub fn hide(shown: &mut Option<Shown>) {
    if let Some(old) = shown.take() {
        old.remove();
    }
}

/// Draws `overlay` in a new host, the last child of `parent`, and returns the host (the gate:
/// one per held click, never redrawn).
pub fn open(ui: &Ui, overlay: &Overlay, parent: &Element) -> Result<Element, JsValue> {
    ui.draw(None, Some(overlay.to_json()), parent, false)
}

/// Keeps `host` in `parent`, first or last (put back if the site re-rendered), as drawn.
pub fn keep(ui: &Ui, host: Element, parent: &Element, first: bool) -> Result<(), JsValue> {
    ui.draw(Some(host), None, parent, first).map(drop)
}
