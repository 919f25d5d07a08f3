/*
 * Trợ lý Dịch vụ công widget — building elements, icons and the bot's text. Bot text is never parsed as
 * HTML: it is split into text nodes, <strong> and <a> elements. Loaded by widget.js.
 */
(function (parts) {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  // The answers' light markup: "**heading**", "[label](https://…)" or "[1900 1234](tel:19001234)", and
  // bare http(s) URLs; punctuation that usually ends a sentence is not part of a bare link.
  var MARKUP_RE = /\*\*([^*\n]+)\*\*|\[([^\]\n]+)\]\(((?:https?:\/\/|tel:)[^\s)]+)\)|https?:\/\/[^\s<>"'«»]+/g;
  var TRAILING = /[.,;:!?)\]}»"']+$/;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else if (name === "className") {
        node.className = value;
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function icon(pathData, rotate) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", pathData);
    path.setAttribute("fill", "currentColor");
    if (rotate) {
      path.setAttribute("transform", "rotate(180 12 12)");
    }
    svg.appendChild(path);
    return svg;
  }

  parts.dom = function (w) {
    function link(url, label) {
      var web = url.indexOf("tel:") !== 0;
      var attrs = web
        ? { href: url, target: "_blank", rel: "noopener noreferrer", className: "tldvc-link" }
        : { href: url, className: "tldvc-link tldvc-tel" };
      var newTab = el("span", { className: "tldvc-sr-only", text: " " + w.text.newTab });
      return el("a", attrs, web ? [label, newTab] : [label]);
    }

    /** Text as text nodes, <strong> and <a> elements: bot text is never interpreted as HTML. */
    function richText(text) {
      var fragment = document.createDocumentFragment();
      var last = 0;
      text = String(text);
      text.replace(MARKUP_RE, function (match, bold, label, target, offset) {
        var length = match.length;
        if (offset > last) {
          fragment.appendChild(document.createTextNode(text.slice(last, offset)));
        }
        if (bold) {
          fragment.appendChild(el("strong", { className: "tldvc-strong", text: bold }));
        } else if (label) {
          fragment.appendChild(link(target, label));
        } else {
          var url = match.replace(TRAILING, "");
          length = url.length;
          fragment.appendChild(link(url, url));
        }
        last = offset + length;
        return match;
      });
      if (last < text.length) {
        fragment.appendChild(document.createTextNode(text.slice(last)));
      }
      return fragment;
    }

    Object.assign(w, { el: el, icon: icon, richText: richText });
  };
})((window.TroLyWidget = window.TroLyWidget || {}));
