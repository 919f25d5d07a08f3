/*
 * Trợ lý Dịch vụ công widget — talking to Rasa's REST channel (POST {rasaUrl}/webhooks/rest/webhook):
 * one message at a time, its replies turned into transcript entries. Loaded by widget.js.
 */
(function (parts) {
  "use strict";

  parts.transport = function (w) {
    var opts = w.opts;
    var TEXT = w.text;

    w.busy = false; // a message is on its way: nothing else is sent until Rasa answers or fails

    function post(message) {
      var controller = window.AbortController ? new AbortController() : null;
      var timer = controller ? setTimeout(function () { controller.abort(); }, opts.timeoutMs) : null;
      return fetch(w.webhook, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: w.sender, message: message }),
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) {
            var failure = new Error("Rasa answered HTTP " + response.status);
            // A refusal (429: too many requests from this address) says in Vietnamese what to do: show it.
            return response.json().then(
              function (body) {
                failure.serverMessage = body && typeof body.error === "string" ? body.error : null;
                throw failure;
              },
              function () { throw failure; }
            );
          }
          return response.json();
        })
        .then(function (replies) {
          return Array.isArray(replies) ? replies : [];
        })
        .finally(function () {
          if (timer) {
            clearTimeout(timer);
          }
        });
    }

    /** Bot replies as transcript entries; the last one of an answer carries the thumbs. */
    function replyEntries(replies, rateable) {
      var entries = [];
      replies.forEach(function (reply) {
        if (reply.custom && reply.custom.handoff === "waiting") {
          w.startHandoff(); // bot/channels/handoff.py: a civil servant will answer, fetched by polling
          return;
        }
        var buttons = (reply.buttons || reply.quick_replies || [])
          .filter(function (b) { return b && b.title; })
          .map(function (b) { return { title: String(b.title), payload: String(b.payload || b.title) }; });
        var text = typeof reply.text === "string" ? reply.text : "";
        if (!text && reply.image) {
          text = String(reply.image);
        }
        if (text || buttons.length) {
          // The bot message's id (bot/channels/rest.py): a rating sent back with it lands on this answer.
          var messageId = typeof reply.id === "string" ? reply.id : null;
          entries.push({ role: "bot", text: text, buttons: buttons, messageId: messageId });
        }
      });
      if (w.inHandoff()) {
        return entries; // handed to staff (now or by this very reply): nothing of the bot's to rate
      } else if (!entries.length && rateable) {
        entries.push({ role: "bot", kind: "empty", text: TEXT.empty, buttons: [] });
      } else if (entries.length && rateable) {
        entries[entries.length - 1].rateable = true;
        entries[entries.length - 1].rating = null;
      }
      return entries;
    }

    /**
     * Send ``message`` to Rasa; ``shown`` is the user's bubble (null: nothing shown, as for feedback).
     * Resolves to true when Rasa answered.
     */
    function send(message, shown, options) {
      if (w.busy || !String(message).trim()) {
        return Promise.resolve(false);
      }
      w.busy = true;
      var userEntry = null;
      var userNode = null;
      if (shown) {
        userEntry = { id: w.newId(), role: "user", text: shown };
        userNode = w.add(userEntry, true);
      }
      w.setTyping(true);
      return post(message)
        .then(function (replies) {
          w.setTyping(false);
          var nodes = replyEntries(replies, !options.noRating && !w.inHandoff()).map(function (entry) {
            return w.add(entry, true);
          });
          if (nodes.length) {
            w.reveal(nodes[0]); // a rating's reply is usually nothing: the widget thanks in place
          }
          return true;
        })
        .catch(function (failure) {
          w.setTyping(false);
          if (userEntry) {
            // Rasa never got it: the transcript keeps only what the conversation really holds.
            w.transcript = w.transcript.filter(function (e) { return e.id !== userEntry.id; });
            w.saveTranscript();
            w.log.removeChild(userNode);
          }
          var refusal = failure && failure.serverMessage;
          w.showError(refusal && !options.errorText ? refusal : options.errorText || TEXT.unreachable);
          if (options.restore && !w.input.value) {
            w.input.value = options.restore;
          }
          return false;
        })
        .then(function (ok) {
          w.busy = false;
          return ok;
        });
    }

    Object.assign(w, { send: send });
  };
})((window.TroLyWidget = window.TroLyWidget || {}));
