/* mfgpolicy data browser: filters on the index, the selected quote on a plan's page.
   Plain script, no libraries, nothing loaded from the network; works from file://. */
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  function setHash(hash) {
    var url = location.href.split("#")[0] + (hash ? "#" + hash : "");
    try { history.replaceState(null, "", url); } catch (e) { /* some browsers refuse on file:// */ }
  }

  /* ---- index.html: filter the table of targets ---- */
  function initFilters(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var controls = { city: byId("f-city"), doc: byId("f-doc"), indicator: byId("f-indicator"), q: byId("f-text") };
    var count = byId("f-count"), empty = byId("f-empty"), form = byId("filters");

    function apply(save) {
      var terms = controls.q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var want = { city: controls.city.value, doc: controls.doc.value, indicator: controls.indicator.value };
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = (!want.city || row.dataset.city === want.city) &&
          (!want.doc || row.dataset.doc === want.doc) &&
          (!want.indicator || row.dataset.indicator === want.indicator) &&
          terms.every(function (t) { return texts[i].indexOf(t) >= 0; });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = "Showing " + shown + " of " + rows.length + " targets.";
      empty.hidden = shown > 0;
      if (save) { saveState(); }
    }

    function saveState() {
      var params = [];
      Object.keys(controls).forEach(function (key) {
        if (controls[key].value) { params.push(key + "=" + encodeURIComponent(controls[key].value)); }
      });
      setHash(params.join("&"));
    }

    function loadState() {
      var hash = location.hash.slice(1);
      if (hash.indexOf("=") < 0) { return; }  /* an anchor such as #row-<target_id>, not filters */
      Object.keys(controls).forEach(function (key) { controls[key].value = ""; });
      hash.split("&").forEach(function (pair) {
        var at = pair.indexOf("="), key = pair.slice(0, at), value = decodeURIComponent(pair.slice(at + 1));
        var control = controls[key];
        if (!control) { return; }
        if (control.tagName === "SELECT" && !control.querySelector('option[value="' + CSS.escape(value) + '"]')) { return; }
        control.value = value;
      });
    }

    Object.keys(controls).forEach(function (key) {
      controls[key].addEventListener(key === "q" ? "input" : "change", function () { apply(true); });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    window.addEventListener("pageshow", function () { apply(false); });
    window.addEventListener("hashchange", function () {
      if (location.hash.indexOf("=") >= 0) { loadState(); apply(false); byId("all-targets").scrollIntoView(); }
    });
    loadState();
    apply(false);
  }

  /* ---- plan-<doc_id>.html: highlight the quote named by the address (#<target_id>) ---- */
  function initPlan(text) {
    var marks = Array.prototype.slice.call(text.querySelectorAll("mark[data-ids]"));
    var sidebar = document.querySelector(".sidebar");

    function select(id, scroll) {
      document.querySelectorAll(".current").forEach(function (el) { el.classList.remove("current"); });
      if (!id) { return; }
      var hits = marks.filter(function (m) { return (" " + m.dataset.ids + " ").indexOf(" " + id + " ") >= 0; });
      hits.forEach(function (m) { m.classList.add("current"); });
      var item = sidebar && sidebar.querySelector('li[data-id="' + CSS.escape(id) + '"]');
      if (item) {
        item.classList.add("current");
        sidebar.scrollTop = item.offsetTop - sidebar.clientHeight / 3;
      }
      if (scroll && hits.length) { hits[0].scrollIntoView({ block: "center" }); }
    }

    function fromAddress() { select(decodeURIComponent(location.hash.slice(1)), true); }

    text.addEventListener("click", function (event) {
      var mark = event.target.closest("mark[data-ids]");
      if (!mark) { return; }
      var ids = mark.dataset.ids.split(" ");
      var next = ids[(ids.indexOf(location.hash.slice(1)) + 1) % ids.length];  /* overlapping quotes take turns */
      try { history.pushState(null, "", "#" + next); } catch (e) { location.hash = next; }
      select(next, false);
    });
    window.addEventListener("hashchange", fromAddress);
    window.addEventListener("popstate", fromAddress);
    window.addEventListener("load", fromAddress);
    fromAddress();
  }

  var table = byId("targets");
  if (table) { initFilters(table); }
  var text = document.querySelector(".plan-text");
  if (text) { initPlan(text); }
})();
