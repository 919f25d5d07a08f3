/*
 * Trợ lý Dịch vụ công widget — rating an answer: thumbs, then (👎) a reason, each replaced in place by a
 * thank-you. Loaded by widget.js.
 */
(function (parts) {
  "use strict";

  var THUMB = "M2 10h4v11H2zM8 10l4-8c1.7 0 2.8 1.4 2.4 3L13.6 9H20a2 2 0 0 1 2 2.3l-1.3 8A2 2 0 0 1 18.7 21H8z";

  // Why an answer was not right: the codes the console reads (common/feedback.py) and their labels.
  var REASONS = [
    ["wrong_procedure", "Sai thủ tục"],
    ["missing_info", "Thiếu thông tin"],
    ["hard_to_read", "Khó hiểu"],
    ["other", "Khác"],
  ];
  var COMMENT_MAX = 500;

  parts.feedback = function (w) {
    var TEXT = w.text;
    var el = w.el;

    function feedbackRow(entry) {
      var row = el("div", { className: "tldvc-feedback", role: "group", "aria-label": TEXT.feedback });
      showFeedback(row, entry);
      return row;
    }

    /** The row as the entry's rating state has it; returns what should take the focus after a change. */
    function showFeedback(row, entry) {
      while (row.firstChild) {
        row.removeChild(row.firstChild);
      }
      if (!entry.rating) {
        return thumbs(row, entry);
      }
      if (entry.rating === "down" && !entry.reasonSent) {
        return reasonForm(row, entry);
      }
      var thanks = el("p", {
        className: "tldvc-thanks",
        tabindex: "-1",
        text: entry.rating === "down" ? TEXT.reasonThanks : TEXT.thanked,
      });
      row.appendChild(thanks);
      return thanks;
    }

    function thumbs(row, entry) {
      var buttons = ["up", "down"].map(function (rating) {
        var node = el(
          "button",
          {
            type: "button",
            className: "tldvc-thumb tldvc-thumb-" + rating,
            "aria-label": TEXT[rating],
            title: TEXT[rating],
          },
          [w.icon(THUMB, rating === "down")]
        );
        node.addEventListener("click", function () {
          rate(entry, rating, row, buttons);
        });
        row.appendChild(node);
        return node;
      });
      return buttons[0];
    }

    function reasonForm(row, entry) {
      var chosen = null;
      var form = el("form", { className: "tldvc-reasons" });
      var group = el("div", { className: "tldvc-quick", role: "group", "aria-label": TEXT.reasons });
      var chips = REASONS.map(function (reason) {
        var chip = el("button", {
          type: "button",
          className: "tldvc-chip tldvc-reason",
          "aria-pressed": "false",
          text: reason[1],
        });
        chip.addEventListener("click", function () {
          chosen = reason[0];
          chips.forEach(function (c) { c.setAttribute("aria-pressed", c === chip ? "true" : "false"); });
        });
        group.appendChild(chip);
        return chip;
      });
      var boxId = "tldvc-comment-" + entry.id;
      var box = el("textarea", {
        id: boxId,
        className: "tldvc-comment",
        rows: "2",
        maxlength: String(COMMENT_MAX),
        placeholder: TEXT.commentHint,
      });
      var hint = el("p", { className: "tldvc-reason-hint", "aria-live": "polite" });
      var submit = el("button", { type: "submit", className: "tldvc-reason-send", text: TEXT.sendReason });
      [el("p", { className: "tldvc-thanks", text: TEXT.askReason }), group,
        el("label", { for: boxId, className: "tldvc-comment-label", text: TEXT.comment }), box, hint, submit]
        .forEach(function (node) { form.appendChild(node); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        // One line: the payload is one JSON object on one line (Rasa's "/intent{…}" form).
        var comment = box.value.replace(/\s+/g, " ").trim().slice(0, COMMENT_MAX);
        if (!chosen && !comment) {
          hint.textContent = TEXT.pickReason;
          return;
        }
        var fields = { reason: chosen || "other" };
        if (comment) {
          fields.comment = comment;
        }
        sendFeedback(entry, row, fields, chips.concat([submit]), function () { entry.reasonSent = true; });
      });
      row.appendChild(form);
      return chips[0];
    }

    function rate(entry, rating, row, buttons) {
      if (entry.rating) {
        return;
      }
      sendFeedback(entry, row, { rating: rating }, buttons, function () { entry.rating = rating; });
    }

    /**
     * Send one feedback message about ``entry`` (its id names the answer: the console puts the rating on it);
     * once Rasa has it, ``done`` updates the entry and the row shows the next step in place.
     */
    function sendFeedback(entry, row, fields, controls, done) {
      if (w.busy) {
        return;
      }
      if (entry.messageId) {
        fields.message_id = entry.messageId;
      }
      controls.forEach(function (c) { c.disabled = true; });
      var payload = "/feedback" + JSON.stringify(fields);
      w.send(payload, null, { noRating: true, errorText: TEXT.feedbackFailed }).then(function (ok) {
        if (!ok) {
          controls.forEach(function (c) { c.disabled = false; });
          return;
        }
        done();
        w.saveTranscript();
        showFeedback(row, entry).focus();
      });
    }

    Object.assign(w, { feedbackRow: feedbackRow });
  };
})((window.TroLyWidget = window.TroLyWidget || {}));
