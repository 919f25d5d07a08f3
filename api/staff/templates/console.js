/* Staff console: keep a live conversation's messages current without reloading the page (the reply
 * being typed stays). Any element with data-refresh="URL" gets that same-origin HTML fragment every 4 s. */
(function () {
  "use strict";
  var REFRESH_MS = 4000;
  document.querySelectorAll("[data-refresh]").forEach(function (node) {
    var url = node.getAttribute("data-refresh");
    if (!url || url.charAt(0) !== "/" || url.charAt(1) === "/") {
      return;
    }
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && html !== node.innerHTML) {
            node.innerHTML = html; // server-rendered with Jinja2 autoescape: no citizen text is markup
          }
        })
        .catch(function () {})
        .then(function () {
          setTimeout(tick, REFRESH_MS);
        });
    }
    setTimeout(tick, REFRESH_MS);
  });
})();
