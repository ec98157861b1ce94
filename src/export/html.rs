//! The analyst's page: one self-contained HTML file (data, styles and script inside,
//! nothing fetched), so that it opens from `file://` on a closed network. The script
//! and styles in `page/` are ours and plain: no build step, no library.

use serde_json::{json, Value};

const CSS: &str = include_str!("page/page.css");
const JS: &str = include_str!("page/page.js");

/// The page for a timeline (its JSON contract, [`super::timeline_json`]) and, when
/// given, a digest of its key dates (shown first).
pub fn analyst_page(timeline: &Value, digest: Option<&Value>) -> String {
    let data = json!({"timeline": timeline, "digest": digest});
    // Inside <script>, "</script>" or "<!--" in the data would end or bend the element:
    // every "<" is written as its JSON escape.
    let data = data.to_string().replace('<', "\\u003c");
    let title = timeline["documents"]
        .as_array()
        .and_then(|d| {
            if d.len() == 1 {
                d[0]["title"].as_str().map(str::to_string)
            } else {
                None
            }
        })
        .unwrap_or_else(|| "annalist timeline".to_string());
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<div class="counts"><span id="summary"></span>. <span id="count" role="status" aria-live="polite"></span></div>
<form class="filters" onsubmit="return false" aria-label="Filters">
<label>Search <input id="f-q" type="search" placeholder="words, names"></label>
<label>Entity <input id="f-entity" list="f-entities" placeholder="name or alias"><datalist id="f-entities"></datalist></label>
<label>Source document <select id="f-doc"></select></label>
<label>From <input id="f-from" type="date"></label>
<label>To <input id="f-to" type="date"></label>
<fieldset id="f-type"><legend>Type</legend></fieldset>
<fieldset id="f-fact"><legend>Factuality</legend></fieldset>
<label><span>Undated</span><span><input id="f-undated" type="checkbox" checked> include</span></label>
<button id="f-reset" type="button">Clear filters</button>
</form>
</header>
<main id="main" class="closed">
<div>
<section id="digest" aria-labelledby="digest-h"><h2 id="digest-h">Key dates</h2><div id="digest-list"></div></section>
<section id="axis" aria-labelledby="axis-h"><h2 id="axis-h">Time axis</h2>
<div class="zoom" role="group" aria-label="Zoom">Zoom: <button type="button" data-zoom="auto">auto</button> <button type="button" data-zoom="year">years</button> <button type="button" data-zoom="month">months</button> <button type="button" data-zoom="week">weeks</button> <button type="button" data-zoom="day">days</button></div>
<div id="bins" aria-label="Events per period; choose one to narrow the dates"></div>
<div id="axislabels" class="axislabels"></div>
<div id="spans"></div>
<p id="undatedlane" class="muted"></p>
</section>
<section aria-labelledby="list-h"><h2 id="list-h">Events <span class="muted noprint">(arrow keys move, Enter opens)</span></h2>
<div id="order" class="noprint" role="group" aria-label="Order">Order: <button type="button" data-order="salience">most salient first</button> <button type="button" data-order="time">in time order</button></div>
<div id="list" role="list" aria-labelledby="list-h"></div>
<div id="printlist"></div>
</section>
</div>
<aside id="detail" tabindex="-1" aria-labelledby="detail-title" hidden>
<button id="close" type="button" aria-label="Close details">Close</button>
<div id="detail-body"></div>
</aside>
</main>
<script type="application/json" id="data">{data}</script>
<script>{JS}</script>
</body>
</html>
"#,
        title = super::escape_html(&title),
    )
}
