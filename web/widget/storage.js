/*
 * Trợ lý Dịch vụ công widget — the conversation kept in the browser: the sender id and the transcript in
 * localStorage, whether the panel is open in sessionStorage. Loaded by widget.js.
 */
(function (parts) {
  "use strict";

  function newId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b + 256).toString(16).slice(1);
      })
      .join("");
  }

  parts.storage = function (w) {
    var opts = w.opts;

    // Namespaced, and in memory when the browser refuses localStorage (private modes, blocked cookies).
    var memory = {};
    var store = {
      get: function (area, key) {
        try {
          return window[area].getItem(opts.storageKey + ":" + key);
        } catch (e) {
          return memory[area + key] === undefined ? null : memory[area + key];
        }
      },
      set: function (area, key, value) {
        try {
          window[area].setItem(opts.storageKey + ":" + key, value);
        } catch (e) {
          memory[area + key] = value;
        }
      },
      remove: function (area, key) {
        try {
          window[area].removeItem(opts.storageKey + ":" + key);
        } catch (e) {
          delete memory[area + key];
        }
      },
    };

    function loadTranscript() {
      try {
        var saved = JSON.parse(store.get("localStorage", "transcript") || "[]");
        return Array.isArray(saved) ? saved : [];
      } catch (e) {
        return []; // a corrupted entry must not break the page: start afresh
      }
    }

    Object.assign(w, { store: store, newId: newId });

    w.sender = store.get("localStorage", "sender");
    if (!w.sender) {
      w.sender = "web-" + newId();
      store.set("localStorage", "sender", w.sender);
    }
    w.transcript = loadTranscript();

    w.saveTranscript = function () {
      if (w.transcript.length > opts.maxEntries) {
        w.transcript = w.transcript.slice(w.transcript.length - opts.maxEntries);
      }
      store.set("localStorage", "transcript", JSON.stringify(w.transcript));
    };

    /** Forget the conversation: another sender id, so Rasa starts a new tracker (the old one stays). */
    w.newConversation = function () {
      w.sender = "web-" + newId();
      store.set("localStorage", "sender", w.sender);
      w.transcript = [];
      store.remove("localStorage", "transcript");
    };
  };
})((window.TroLyWidget = window.TroLyWidget || {}));
