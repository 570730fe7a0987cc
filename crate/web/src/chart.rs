//! The twelve-month picture on the popup and the options page: bars drawn as SVG by the
//! extension itself (no library, no network), and the same figures as a table for screen readers
//! (the drawing is hidden from them). The figures come from core ([`monthly::chart`]).

use ask_first_core::model::Record;
use ask_first_core::monthly::{self, Chart, ChartMonth, Month};
use wasm_bindgen::JsValue;

use crate::dom::Node;
use crate::i18n::{format_month, t, t_with, Key};

/// The three series drawn, in order: the CSS class of their bars and their legend's key.
const SERIES: [(&str, Key<0>); 3] = [
    ("bar-received", key!("chartReceived")),
    ("bar-held", key!("chartHeldBack")),
    ("bar-asked", key!("chartAsked")),
];

/// How the chart is laid out on a page.
#[derive(Clone, Copy)]
pub enum Size {
    /// The popup: narrow; the table is for screen readers only.
    Compact,
    /// The options page: wider, and the table is shown under the drawing.
    Full,
}

/// This month in the user's calendar.
pub fn current_month() -> Month {
    let now = js_sys::Date::new_0();
    Month {
        year: now.get_full_year() as i32,
        month: (now.get_month() + 1) as u8,
    }
}

/// The chart section: the drawing, its legend, who re-added the user most, and the table.
pub fn section(record: &Record, size: Size) -> Result<Node, JsValue> {
    let chart = monthly::chart(&record.monthly, current_month());
    let mut section = Node::new("section")?
        .attr("aria-labelledby", "monthly-heading")?
        .attr("data-field", "monthly")?
        .child(
            Node::new("h2")?
                .attr("id", "monthly-heading")?
                .text(&t(key!("chartHeading"))),
        )?;
    if chart.is_empty() {
        return section.child(
            Node::new("p")?
                .attr("data-field", "monthly-empty")?
                .text(&t(key!("chartEmpty"))),
        );
    }
    section = section.child(drawing(&chart, size)?)?.child(legend()?)?;
    if let Some(top) = &chart.top_adder {
        section = section.child(
            Node::new("p")?
                .attr("data-field", "top-adder")?
                .text(&t_with(
                    key!("chartTopAdder"),
                    &[&top.name, top.site.display_name(), &top.count.to_string()],
                )),
        )?;
    }
    let table = table(&chart)?;
    let table = match size {
        Size::Compact => table.class("announce")?,
        Size::Full => table,
    };
    section.child(table)
}

/// Width of one month's group of bars, and of one bar, in SVG units.
const MONTH_WIDTH: f64 = 26.0;
const BAR_WIDTH: f64 = 7.0;
const LEFT: f64 = 22.0;
const TOP: f64 = 8.0;
const LABELS: f64 = 16.0;

fn drawing(chart: &Chart, size: Size) -> Result<Node, JsValue> {
    let plot = match size {
        Size::Compact => 70.0,
        Size::Full => 120.0,
    };
    let width = LEFT + MONTH_WIDTH * chart.months.len() as f64 + 4.0;
    let height = TOP + plot + LABELS;
    let base = TOP + plot;
    let mut svg = Node::svg("svg")?
        .attr("viewBox", &format!("0 0 {width} {height}"))?
        .attr("class", "chart")?
        .attr(
            "data-size",
            match size {
                Size::Full => "full",
                Size::Compact => "compact",
            },
        )?
        // The table below says the same to screen readers.
        .attr("aria-hidden", "true")?
        .attr("focusable", "false")?;
    // The scale: the largest bar's value at the top, a baseline at zero.
    svg = svg
        .child(
            Node::svg("text")?
                .attr("x", &(LEFT - 4.0).to_string())?
                .attr("y", &(TOP + 4.0).to_string())?
                .attr("class", "axis")?
                .attr("text-anchor", "end")?
                .text(&chart.scale.to_string()),
        )?
        .child(
            Node::svg("text")?
                .attr("x", &(LEFT - 4.0).to_string())?
                .attr("y", &base.to_string())?
                .attr("class", "axis")?
                .attr("text-anchor", "end")?
                .text("0"),
        )?
        .child(
            Node::svg("line")?
                .attr("x1", &LEFT.to_string())?
                .attr("x2", &(width - 2.0).to_string())?
                .attr("y1", &base.to_string())?
                .attr("y2", &base.to_string())?
                .attr("class", "baseline")?,
        )?;
    for (index, month) in chart.months.iter().enumerate() {
        let x0 = LEFT + MONTH_WIDTH * index as f64 + 2.0;
        let mut group = Node::svg("g")?.attr("data-month", &month.month.key())?;
        for (series, (class, key)) in SERIES.iter().enumerate() {
            let value = figure(month, series);
            let bar = (f64::from(value) / f64::from(chart.scale)) * plot;
            // A zero is a hairline, so an empty month still shows it has a place.
            let bar = if value == 0 { 0.0 } else { bar.max(1.5) };
            group = group.child(
                Node::svg("rect")?
                    .attr("class", class)?
                    .attr("x", &(x0 + BAR_WIDTH * series as f64).to_string())?
                    .attr("y", &(base - bar).to_string())?
                    .attr("width", &(BAR_WIDTH - 1.0).to_string())?
                    .attr("height", &bar.to_string())?
                    .attr("data-value", &value.to_string())?
                    // A tooltip for pointer users.
                    .child(Node::svg("title")?.text(&format!(
                        "{}: {} {value}",
                        format_month(month.month.year, month.month.month, true),
                        t(*key)
                    )))?,
            )?;
        }
        group = group.child(
            Node::svg("text")?
                .attr("x", &(x0 + BAR_WIDTH * 1.5).to_string())?
                .attr("y", &(height - 3.0).to_string())?
                .attr("class", "axis")?
                .attr("text-anchor", "middle")?
                .text(&format_month(month.month.year, month.month.month, false)),
        )?;
        svg = svg.child(group)?;
    }
    Ok(svg)
}

fn figure(month: &ChartMonth, series: usize) -> u32 {
    match series {
        0 => month.received,
        1 => month.held_back,
        _ => month.asked,
    }
}

fn legend() -> Result<Node, JsValue> {
    let mut list = Node::new("ul")?
        .class("chart-legend")?
        .attr("aria-hidden", "true")?;
    for (class, key) in SERIES {
        list = list.child(
            Node::new("li")?
                .child(Node::new("span")?.class("swatch")?.class(class)?)?
                .child(Node::new("span")?.text(&t(key)))?,
        )?;
    }
    Ok(list)
}

/// The figures as a table, newest month first (what a screen reader user asks about first).
fn table(chart: &Chart) -> Result<Node, JsValue> {
    let mut head = Node::new("tr")?;
    for key in [
        key!("chartMonth"),
        key!("chartReceived"),
        key!("chartHeldBack"),
        key!("chartAsked"),
        key!("chartMonthTopAdder"),
    ] {
        head = head.child(Node::new("th")?.attr("scope", "col")?.text(&t(key)))?;
    }
    let mut body = Node::new("tbody")?;
    for month in chart.months.iter().rev() {
        let held = if month.held_back == 0 {
            "0".to_owned()
        } else {
            t_with(
                key!("chartHeldBackPeople"),
                &[
                    &month.held_back.to_string(),
                    &month.held_back_people.to_string(),
                ],
            )
        };
        let top = month
            .top_adder
            .as_ref()
            .map(|a| {
                t_with(
                    key!("chartTopAdderCell"),
                    &[&a.name, a.site.display_name(), &a.count.to_string()],
                )
            })
            .unwrap_or_else(|| "–".to_owned());
        body = body.child(
            Node::new("tr")?
                .attr("data-month", &month.month.key())?
                .child(Node::new("th")?.attr("scope", "row")?.text(&format_month(
                    month.month.year,
                    month.month.month,
                    true,
                )))?
                .child(Node::new("td")?.text(&month.received.to_string()))?
                .child(Node::new("td")?.text(&held))?
                .child(Node::new("td")?.text(&month.asked.to_string()))?
                .child(Node::new("td")?.text(&top))?,
        )?;
    }
    Node::new("table")?
        .attr("data-field", "monthly-table")?
        .child(Node::new("caption")?.text(&t(key!("chartTableCaption"))))?
        .child(Node::new("thead")?.child(head)?)?
        .child(body)
}
