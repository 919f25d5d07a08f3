/*
 * Trợ lý Dịch vụ công — chat widget for a portal page.
 *
 * Embed with one config object and one script tag (see docs/widget.md):
 *   <script>window.TroLyDVC = {rasaUrl: "https://rasa.example.gov.vn", title: "Trợ lý Dịch vụ công"};</script>
 *   <script src="https://…/widget/widget.js" defer></script>
 *
 * This file loads the widget's other parts from beside itself, as plain scripts that each add one
 * function to window.TroLyWidget, then puts them together. Classic scripts rather than ES modules: a
 * portal keeps its one ordinary tag, and a portal on another origin needs no CORS headers for them.
 * Plain DOM, no dependencies, no build step.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = window.TroLyDVC || {};
  if (config.__mounted) {
    return; // the script tag was included twice: one widget is enough
  }
  config.__mounted = true;

  var parts = (window.TroLyWidget = window.TroLyWidget || {});
  // In this order: each part adds its functions to the widget's shared state, and may use an earlier
  // part's at once, a later part's only when called (quick replies send, a reply starts a hand-off).
  var PARTS = ["options", "storage", "dom", "panel", "render", "feedback", "transport", "handoff"];

  /**
   * A file of the widget in this script's folder, whatever a portal named this file, with the same
   * query (a portal's cache-busting ?v=…).
   */
  function beside(name) {
    var src = script && script.src ? script.src : "";
    return src ? src.replace(/[^\/?]*(\?.*)?$/, name + "$1") : name;
  }

  function start() {
    var w = parts.options(config);
    PARTS.slice(1).forEach(function (name) {
      parts[name](w);
    });

    w.resetButton.addEventListener("click", function () {
      if (w.busy) {
        return;
      }
      w.stopHandoff();
      w.newConversation();
      w.renderAll();
      w.input.value = "";
      w.input.focus();
    });
    w.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = w.input.value.trim();
      if (!text || w.busy) {
        return;
      }
      w.input.value = "";
      w.send(text, text, { restore: text });
    });

    function mount() {
      var link = w.el("link", { rel: "stylesheet", href: w.opts.cssUrl || beside("widget.css") });
      link.addEventListener("load", function () { w.root.hidden = false; });
      link.addEventListener("error", function () { w.root.hidden = false; });
      document.head.appendChild(link);
      document.body.appendChild(w.root);
      w.renderAll();
      if (w.inHandoff()) {
        w.startHandoff();
      }
      var wasOpen = w.store.get("sessionStorage", "open") === "1";
      w.setOpen(Boolean(w.opts.startOpen) || wasOpen, false);
    }

    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", mount);
    } else {
      mount();
    }
  }

  PARTS.forEach(function (name, index) {
    var tag = document.createElement("script");
    tag.src = beside(name + ".js");
    tag.async = false; // inserted scripts otherwise run in whatever order they arrive
    if (index === PARTS.length - 1) {
      tag.addEventListener("load", start); // the last to run: every part is there
    }
    document.head.appendChild(tag);
  });
})();
