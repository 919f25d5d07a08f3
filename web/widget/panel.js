/*
 * Trợ lý Dịch vụ công widget — the launcher and the panel (header, log, status lines, input), and opening
 * and closing it by mouse and keyboard. Loaded by widget.js.
 */
(function (parts) {
  "use strict";

  var CHAT = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9zm4 0v2h2V9zm4 0v2h2V9z";
  var CROSS = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z";
  var SEND = "M3 20.5 21.5 12 3 3.5v6.6l12 1.9-12 1.9z";

  parts.panel = function (w) {
    var opts = w.opts;
    var TEXT = w.text;
    var el = w.el;
    var icon = w.icon;

    var root = el("div", { className: "tldvc-root tldvc-" + (opts.position === "left" ? "left" : "right") });
    root.hidden = true; // shown once the stylesheet has loaded, so the page never flashes unstyled markup
    if (opts.accentColor) {
      root.style.setProperty("--tldvc-accent", opts.accentColor);
    }

    var panelId = "tldvc-panel-" + w.newId().slice(0, 8);
    var titleId = panelId + "-title";
    var inputId = panelId + "-input";

    var launcher = el(
      "button",
      { type: "button", className: "tldvc-launcher", "aria-expanded": "false", "aria-controls": panelId },
      [icon(CHAT), el("span", { className: "tldvc-launcher-text", text: opts.launcherLabel })]
    );
    launcher.setAttribute("aria-label", TEXT.open);

    var resetButton = el("button", { type: "button", className: "tldvc-reset", title: TEXT.resetLabel, text: TEXT.reset });
    var closeButton = el("button", { type: "button", className: "tldvc-close", "aria-label": TEXT.close, title: TEXT.close }, [
      icon(CROSS),
    ]);
    var header = el("div", { className: "tldvc-header" }, [
      el("h2", { id: titleId, className: "tldvc-title", text: opts.title }),
      closeButton,
      el("p", { className: "tldvc-subtitle", text: opts.subtitle }),
      resetButton,
    ]);

    var log = el("div", {
      className: "tldvc-log",
      role: "log",
      "aria-live": "polite",
      "aria-relevant": "additions",
      "aria-label": TEXT.log,
      tabindex: "0",
    });
    var typing = el("div", { className: "tldvc-typing", role: "status" });
    var handoffStatus = el("div", { className: "tldvc-handoff", role: "status" });
    handoffStatus.hidden = true;
    var input = el("input", {
      id: inputId,
      type: "text",
      className: "tldvc-input",
      placeholder: opts.placeholder,
      autocomplete: "off",
      maxlength: "1000",
      enterkeyhint: "send",
    });
    var sendButton = el("button", { type: "submit", className: "tldvc-send", "aria-label": TEXT.sendLabel }, [
      icon(SEND),
      el("span", { className: "tldvc-send-text", text: TEXT.send }),
    ]);
    var form = el("form", { className: "tldvc-form" }, [
      el("label", { for: inputId, className: "tldvc-sr-only", text: TEXT.input }),
      input,
      sendButton,
    ]);
    var panel = el("div", { id: panelId, className: "tldvc-panel", role: "dialog", "aria-labelledby": titleId }, [
      header,
      log,
      typing,
      handoffStatus,
      form,
    ]);
    panel.hidden = true;
    root.appendChild(panel);
    root.appendChild(launcher);

    function setOpen(open, moveFocus) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", open ? "true" : "false");
      root.classList.toggle("tldvc-open", open);
      w.store.set("sessionStorage", "open", open ? "1" : "0");
      if (open) {
        w.scrollToEnd();
        if (moveFocus) {
          input.focus();
        }
      } else if (moveFocus) {
        launcher.focus();
      }
    }

    launcher.addEventListener("click", function () {
      setOpen(panel.hidden, true);
    });
    closeButton.addEventListener("click", function () {
      setOpen(false, true);
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        setOpen(false, true);
      }
    });

    Object.assign(w, {
      root: root, log: log, typing: typing, handoffStatus: handoffStatus, input: input, form: form,
      resetButton: resetButton, setOpen: setOpen,
    });
  };
})((window.TroLyWidget = window.TroLyWidget || {}));
