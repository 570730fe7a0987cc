//! A small element builder for the extension pages. Text goes in through `textContent` only: no
//! function here takes HTML, so a page-supplied name can never become markup.

use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

/// Writes `text` to the clipboard through the async Clipboard API; whether it did.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(window.navigator().clipboard().write_text(text))
        .await
        .is_ok()
}

pub fn document() -> Result<Document, JsValue> {
    web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("no document"))
}

/// An element under construction.
pub struct Node(Element);

impl Node {
    pub fn new(tag: &str) -> Result<Node, JsValue> {
        Ok(Node(document()?.create_element(tag)?))
    }

    /// An SVG element (drawn by the extension itself, e.g. the monthly chart).
    pub fn svg(tag: &str) -> Result<Node, JsValue> {
        Ok(Node(document()?.create_element_ns(
            Some("http://www.w3.org/2000/svg"),
            tag,
        )?))
    }

    pub fn attr(self, name: &str, value: &str) -> Result<Node, JsValue> {
        self.0.set_attribute(name, value)?;
        Ok(self)
    }

    pub fn class(self, class: &str) -> Result<Node, JsValue> {
        self.0.class_list().add_1(class)?;
        Ok(self)
    }

    /// Sets the element's text; markup in `text` stays literal text.
    pub fn text(self, text: &str) -> Node {
        self.0.set_text_content(Some(text));
        self
    }

    pub fn child(self, child: Node) -> Result<Node, JsValue> {
        self.0.append_child(&child.0)?;
        Ok(self)
    }

    pub fn children(self, children: impl IntoIterator<Item = Node>) -> Result<Node, JsValue> {
        for child in children {
            self.0.append_child(&child.0)?;
        }
        Ok(self)
    }

    pub fn element(&self) -> &Element {
        &self.0
    }

    pub fn into_element(self) -> Element {
        self.0
    }
}

/// Replaces the content of the page's `#app` container with `root`.
pub fn mount(root: Node) -> Result<(), JsValue> {
    let document = document()?;
    let app = document
        .get_element_by_id("app")
        .ok_or_else(|| JsValue::from_str("the page has no #app container"))?;
    app.replace_children_with_node_1(root.element());
    Ok(())
}

/// Runs `action` when `element` is clicked (or activated by keyboard, which clicks buttons).
/// The listener lives as long as the element (see [`listen`]).
pub fn on_click(element: &Element, mut action: impl FnMut() + 'static) -> Result<(), JsValue> {
    listen(element, "click", move |_| action())
}

/// Runs `handler` on each `event` at `element`, for as long as the element lives.
///
/// The page is drawn anew on every change, so this runs many times per page life. The closure is
/// handed to the JS engine with the element's listener (`into_js_value`, and that handle
/// dropped): when the element is dropped from the page and collected, so is the listener, and
/// wasm-bindgen's glue (its `FinalizationRegistry`) then frees the Rust side too.
/// `Closure::forget` instead keeps the function in wasm-bindgen's table for good, so every
/// drawing would leave its listeners behind. Nothing is kept per drawing, as long as `handler`
/// holds no element of the page: the engine cannot see through the Rust side, so such an
/// element (and with it the whole tree and this listener) would stay for good. Find elements
/// when the event comes instead (by id, or from the event's target).
pub fn listen(
    element: &Element,
    event: &str,
    handler: impl FnMut(web_sys::Event) + 'static,
) -> Result<(), JsValue> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
    element.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    // The engine owns it from here (see above); not a leak per drawing.
    drop(closure.into_js_value());
    Ok(())
}

/// Says `text` through the page's polite live region (`#announce`, created when missing).
pub fn announce(text: &str) {
    let Ok(document) = document() else { return };
    let region = match document.get_element_by_id("announce") {
        Some(region) => region,
        None => {
            let Ok(region) = document.create_element("p") else {
                return;
            };
            let _ = region.set_attribute("id", "announce");
            let _ = region.set_attribute("role", "status");
            let _ = region.set_attribute("class", "announce");
            if let Some(body) = document.body() {
                let _ = body.append_child(&region);
            }
            region
        }
    };
    region.set_text_content(Some(text));
}

/// Moves keyboard focus to the first element matching `selector`, if any.
pub fn focus_selector(selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = document()
        .ok()
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
        // A text field drawn anew keeps its text; typing goes on after it, not before it.
        if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            if matches!(input.type_().as_str(), "text" | "search") {
                let end = input.value().encode_utf16().count() as u32;
                let _ = input.set_selection_range(end, end);
            }
        }
    }
}
