/*
 * Trợ lý Dịch vụ công widget — a civil servant in the conversation (bot/channels/handoff.py): while staff
 * have it, their replies are fetched by polling {rasaUrl}/webhooks/handoff/poll. Loaded by widget.js.
 */
(function (parts) {
  "use strict";

  parts.handoff = function (w) {
    var TEXT = w.text;
    var store = w.store;

    // {after: timestamp of the last staff message shown} while staff have the conversation, else null;
    // kept across reloads so a citizen who refreshes the page still gets the reply.
    var handoff = (function () {
      try {
        var saved = JSON.parse(store.get("localStorage", "handoff") || "null");
        return saved && typeof saved.after === "number" ? saved : null;
      } catch (e) {
        return null;
      }
    })();
    var pollTimer = null;

    function saveHandoff() {
      if (handoff) {
        store.set("localStorage", "handoff", JSON.stringify(handoff));
      } else {
        store.remove("localStorage", "handoff");
      }
    }

    function showHandoff(state) {
      var status = w.handoffStatus;
      status.hidden = !handoff;
      status.textContent = !handoff ? "" : state === "taken" ? TEXT.withStaff : TEXT.waiting;
    }

    function startHandoff() {
      if (!handoff) {
        handoff = { after: 0 };
        saveHandoff();
      }
      showHandoff("waiting");
      if (!pollTimer) {
        pollTimer = setTimeout(pollHandoff, w.opts.pollMs);
      }
    }

    function stopHandoff() {
      handoff = null;
      saveHandoff();
      showHandoff("bot");
      if (pollTimer) {
        clearTimeout(pollTimer);
        pollTimer = null;
      }
    }

    function pollHandoff() {
      pollTimer = null;
      if (!handoff) {
        return;
      }
      var asked = w.sender;
      fetch(w.handoffPoll, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: w.sender, after: handoff.after }),
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (body) {
          if (!handoff || !body || asked !== w.sender) {
            return; // a network hiccup or a new conversation meanwhile: try again on the next tick
          }
          (Array.isArray(body.messages) ? body.messages : []).forEach(function (message) {
            if (typeof message.id === "number" && message.id > handoff.after) {
              handoff.after = message.id;
              var from = message.staff ? TEXT.staff + " " + String(message.staff) : TEXT.staff;
              var entry = { role: "bot", kind: "staff", from: from, text: String(message.text || ""), buttons: [] };
              w.reveal(w.add(entry, true));
            }
          });
          if (body.state === "bot") {
            stopHandoff();
          } else {
            saveHandoff();
            showHandoff(body.state);
          }
        })
        .catch(function () {})
        .then(function () {
          if (handoff && !pollTimer) {
            pollTimer = setTimeout(pollHandoff, w.opts.pollMs);
          }
        });
    }

    function inHandoff() {
      return Boolean(handoff);
    }

    Object.assign(w, { inHandoff: inHandoff, startHandoff: startHandoff, stopHandoff: stopHandoff });
  };
})((window.TroLyWidget = window.TroLyWidget || {}));
