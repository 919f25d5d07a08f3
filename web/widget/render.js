/*
 * Trợ lý Dịch vụ công widget — drawing the transcript: bubbles, quick replies, the typing line, and
 * keeping the log scrolled to what is new. Loaded by widget.js.
 */
(function (parts) {
  "use strict";

  parts.render = function (w) {
    var TEXT = w.text;
    var el = w.el;
    var log = w.log;

    function scrollToEnd() {
      log.scrollTop = log.scrollHeight;
    }

    /** Show a new answer from its first line: a long list of documents is read from the top. */
    function reveal(node) {
      var top = node.offsetTop - 8;
      if (log.scrollHeight - top > log.clientHeight) {
        log.scrollTop = top;
      } else {
        scrollToEnd();
      }
    }

    function bubble(entry) {
      var who = entry.role === "user" ? TEXT.you : TEXT.bot;
      var classes = "tldvc-msg tldvc-" + entry.role + (entry.kind ? " tldvc-" + entry.kind : "");
      var label = entry.kind === "staff"
        ? el("div", { className: "tldvc-caption", text: entry.from || TEXT.staff })
        : el("span", { className: "tldvc-sr-only", text: who + ": " });
      return el("div", { className: classes, "data-entry": entry.id }, [
        label,
        el("div", { className: "tldvc-text" }, [w.richText(entry.text || "")]),
      ]);
    }

    function quickReplies(entry) {
      var group = el("div", { className: "tldvc-quick", role: "group", "aria-label": TEXT.quickReplies });
      entry.buttons.forEach(function (button) {
        var node = el("button", { type: "button", className: "tldvc-chip", text: button.title });
        node.addEventListener("click", function () {
          w.send(button.payload || button.title, button.title, {});
        });
        group.appendChild(node);
      });
      return group;
    }

    function render(entry) {
      var item = el("div", { className: "tldvc-item tldvc-item-" + entry.role });
      if (entry.text) {
        item.appendChild(bubble(entry));
      }
      if (entry.buttons && entry.buttons.length) {
        item.appendChild(quickReplies(entry));
      }
      if (entry.rateable) {
        item.appendChild(w.feedbackRow(entry));
      }
      log.appendChild(item);
      scrollToEnd();
      return item;
    }

    function add(entry, persist) {
      entry.id = entry.id || w.newId();
      var node = render(entry);
      if (persist) {
        w.transcript.push(entry);
        w.saveTranscript();
      }
      return node;
    }

    function greet() {
      add({ role: "bot", kind: "greeting", text: w.opts.greeting, buttons: w.opts.suggestions.map(function (s) {
        return { title: s, payload: s };
      }) }, true);
    }

    function renderAll() {
      while (log.firstChild) {
        log.removeChild(log.firstChild);
      }
      if (!w.transcript.length) {
        greet();
        return;
      }
      w.transcript.forEach(render);
    }

    function setTyping(on) {
      var typing = w.typing;
      typing.textContent = "";
      log.setAttribute("aria-busy", on ? "true" : "false");
      if (on) {
        typing.appendChild(el("span", { className: "tldvc-dots", "aria-hidden": "true" }, [
          el("span"),
          el("span"),
          el("span"),
        ]));
        typing.appendChild(el("span", { className: "tldvc-typing-text", text: TEXT.typing }));
      }
    }

    function showError(text) {
      add({ role: "bot", kind: "error", text: text }, false); // not kept: it describes this page's network state
    }

    Object.assign(w, {
      scrollToEnd: scrollToEnd, reveal: reveal, add: add, renderAll: renderAll, setTyping: setTyping, showError: showError,
    });
  };
})((window.TroLyWidget = window.TroLyWidget || {}));
