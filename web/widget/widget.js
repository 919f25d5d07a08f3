/*
 * Trợ lý Dịch vụ công — chat widget for a portal page.
 *
 * Embed with one config object and one script tag (see docs/widget.md):
 *   <script>window.TroLyDVC = {rasaUrl: "https://rasa.example.gov.vn", title: "Trợ lý Dịch vụ công"};</script>
 *   <script src="https://…/widget/widget.js" defer></script>
 *
 * It talks to Rasa's REST channel (POST {rasaUrl}/webhooks/rest/webhook). Plain DOM, no dependencies,
 * no build step. Bot text is never parsed as HTML: it is split into text nodes and <a> elements.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = window.TroLyDVC || {};
  if (config.__mounted) {
    return; // the script tag was included twice: one widget is enough
  }
  config.__mounted = true;

  var DEFAULTS = {
    rasaUrl: "http://127.0.0.1:5005",
    title: "Trợ lý Dịch vụ công",
    subtitle: "Hỏi đáp về thủ tục hành chính",
    launcherLabel: "Hỏi trợ lý",
    greeting:
      "Xin chào! Tôi là trợ lý ảo tra cứu thủ tục hành chính. Bạn có thể hỏi về hồ sơ, lệ phí, thời hạn, " +
      "nơi nộp hoặc có làm trực tuyến được không.",
    suggestions: ["Đăng ký khai sinh cần giấy tờ gì?", "Cấp hộ chiếu phổ thông mất bao lâu?"],
    placeholder: "Nhập câu hỏi của bạn…",
    storageKey: "tro-ly-dvc",
    timeoutMs: 30000,
    pollMs: 3000, // while a civil servant has the conversation: how often to fetch their replies
    maxEntries: 200,
    position: "right",
    accentColor: "",
    cssUrl: "",
    startOpen: false,
  };
  var opts = {};
  Object.keys(DEFAULTS).forEach(function (key) {
    opts[key] = config[key] !== undefined && config[key] !== null ? config[key] : DEFAULTS[key];
  });
  var rasaBase = String(opts.rasaUrl).replace(/\/+$/, "");
  var webhook = rasaBase + "/webhooks/rest/webhook";
  var handoffPoll = rasaBase + "/webhooks/handoff/poll";

  var TEXT = {
    open: "Mở " + opts.title,
    close: "Đóng cửa sổ trò chuyện",
    reset: "Cuộc trò chuyện mới",
    resetLabel: "Bắt đầu cuộc trò chuyện mới (xóa nội dung đang hiển thị)",
    log: "Nội dung trò chuyện với " + opts.title,
    input: "Câu hỏi của bạn",
    send: "Gửi",
    sendLabel: "Gửi câu hỏi",
    typing: "Trợ lý đang trả lời…",
    you: "Bạn",
    bot: "Trợ lý",
    quickReplies: "Gợi ý trả lời",
    feedback: "Đánh giá câu trả lời",
    up: "Câu trả lời hữu ích",
    down: "Câu trả lời chưa hữu ích",
    thanked: "Cảm ơn bạn đã đánh giá!",
    askReason: "Cảm ơn bạn! Câu trả lời chưa đúng ở điểm nào?",
    reasons: "Lý do câu trả lời chưa đúng",
    comment: "Góp ý thêm (không bắt buộc)",
    commentHint: "Ví dụ: thiếu giấy tờ nào, sai ở đâu…",
    sendReason: "Gửi góp ý",
    pickReason: "Bạn chọn một lý do hoặc viết vài chữ góp ý nhé.",
    reasonThanks: "Cảm ơn bạn đã góp ý! Ý kiến của bạn giúp trợ lý trả lời tốt hơn.",
    empty: "Tôi chưa có câu trả lời cho câu này. Bạn thử hỏi cách khác, hoặc nêu rõ tên thủ tục nhé.",
    unreachable:
      "Xin lỗi, hiện không kết nối được với trợ lý nên câu hỏi của bạn chưa được gửi. " +
      "Bạn kiểm tra kết nối mạng rồi bấm Gửi lại nhé.",
    feedbackFailed: "Xin lỗi, chưa gửi được đánh giá. Bạn thử lại sau nhé.",
    newTab: "(mở trong thẻ mới)",
    staff: "Cán bộ",
    waiting: "Đang chờ cán bộ tiếp nhận… Bạn có thể nhắn thêm chi tiết.",
    withStaff: "Bạn đang trò chuyện với cán bộ.",
  };

  /* ---------- storage: namespaced, and in memory when the browser refuses localStorage ---------- */

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

  function loadTranscript() {
    try {
      var saved = JSON.parse(store.get("localStorage", "transcript") || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch (e) {
      return []; // a corrupted entry must not break the page: start afresh
    }
  }

  var sender = store.get("localStorage", "sender");
  if (!sender) {
    sender = "web-" + newId();
    store.set("localStorage", "sender", sender);
  }
  var transcript = loadTranscript();

  function saveTranscript() {
    if (transcript.length > opts.maxEntries) {
      transcript = transcript.slice(transcript.length - opts.maxEntries);
    }
    store.set("localStorage", "transcript", JSON.stringify(transcript));
  }

  /* ---------- DOM helpers ---------- */

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

  var SVG = "http://www.w3.org/2000/svg";

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

  var THUMB = "M2 10h4v11H2zM8 10l4-8c1.7 0 2.8 1.4 2.4 3L13.6 9H20a2 2 0 0 1 2 2.3l-1.3 8A2 2 0 0 1 18.7 21H8z";
  var CHAT = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9zm4 0v2h2V9zm4 0v2h2V9z";
  var CROSS = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z";
  var SEND = "M3 20.5 21.5 12 3 3.5v6.6l12 1.9-12 1.9z";

  // The answers' light markup: "**heading**", "[label](https://…)" or "[1900 1234](tel:19001234)", and
  // bare http(s) URLs; punctuation that usually ends a sentence is not part of a bare link.
  var MARKUP_RE = /\*\*([^*\n]+)\*\*|\[([^\]\n]+)\]\(((?:https?:\/\/|tel:)[^\s)]+)\)|https?:\/\/[^\s<>"'«»]+/g;
  var TRAILING = /[.,;:!?)\]}»"']+$/;

  function link(url, label) {
    var web = url.indexOf("tel:") !== 0;
    var attrs = web
      ? { href: url, target: "_blank", rel: "noopener noreferrer", className: "tldvc-link" }
      : { href: url, className: "tldvc-link tldvc-tel" };
    return el("a", attrs, web ? [label, el("span", { className: "tldvc-sr-only", text: " " + TEXT.newTab })] : [label]);
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

  /* ---------- the widget's elements ---------- */

  var root = el("div", { className: "tldvc-root tldvc-" + (opts.position === "left" ? "left" : "right") });
  root.hidden = true; // shown once the stylesheet has loaded, so the page never flashes unstyled markup
  if (opts.accentColor) {
    root.style.setProperty("--tldvc-accent", opts.accentColor);
  }

  var panelId = "tldvc-panel-" + newId().slice(0, 8);
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

  /* ---------- rendering the transcript ---------- */

  var busy = false;

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
      el("div", { className: "tldvc-text" }, [richText(entry.text || "")]),
    ]);
  }

  function quickReplies(entry) {
    var group = el("div", { className: "tldvc-quick", role: "group", "aria-label": TEXT.quickReplies });
    entry.buttons.forEach(function (button) {
      var node = el("button", { type: "button", className: "tldvc-chip", text: button.title });
      node.addEventListener("click", function () {
        send(button.payload || button.title, button.title, {});
      });
      group.appendChild(node);
    });
    return group;
  }

  /* ---------- rating an answer: thumbs, then (👎) a reason, each replaced in place by a thank-you ---------- */

  // Why an answer was not right: the codes the console reads (common/feedback.py) and their labels.
  var REASONS = [
    ["wrong_procedure", "Sai thủ tục"],
    ["missing_info", "Thiếu thông tin"],
    ["hard_to_read", "Khó hiểu"],
    ["other", "Khác"],
  ];
  var COMMENT_MAX = 500;

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
        { type: "button", className: "tldvc-thumb tldvc-thumb-" + rating, "aria-label": TEXT[rating], title: TEXT[rating] },
        [icon(THUMB, rating === "down")]
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
      var chip = el("button", { type: "button", className: "tldvc-chip tldvc-reason", "aria-pressed": "false", text: reason[1] });
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

  function render(entry) {
    var item = el("div", { className: "tldvc-item tldvc-item-" + entry.role });
    if (entry.text) {
      item.appendChild(bubble(entry));
    }
    if (entry.buttons && entry.buttons.length) {
      item.appendChild(quickReplies(entry));
    }
    if (entry.rateable) {
      item.appendChild(feedbackRow(entry));
    }
    log.appendChild(item);
    scrollToEnd();
    return item;
  }

  function add(entry, persist) {
    entry.id = entry.id || newId();
    var node = render(entry);
    if (persist) {
      transcript.push(entry);
      saveTranscript();
    }
    return node;
  }

  function greet() {
    add({ role: "bot", kind: "greeting", text: opts.greeting, buttons: opts.suggestions.map(function (s) {
      return { title: s, payload: s };
    }) }, true);
  }

  function renderAll() {
    while (log.firstChild) {
      log.removeChild(log.firstChild);
    }
    if (!transcript.length) {
      greet();
      return;
    }
    transcript.forEach(render);
  }

  function setTyping(on) {
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

  /* ---------- talking to Rasa ---------- */

  function post(message) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, opts.timeoutMs) : null;
    return fetch(webhook, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: message }),
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
        startHandoff(); // bot/channels/handoff.py: a civil servant will answer, fetched by polling
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
    if (handoff) {
      return entries; // handed to staff (now or by this very reply): nothing of the bot's to rate
    } else if (!entries.length && rateable) {
      entries.push({ role: "bot", kind: "empty", text: TEXT.empty, buttons: [] });
    } else if (entries.length && rateable) {
      entries[entries.length - 1].rateable = true;
      entries[entries.length - 1].rating = null;
    }
    return entries;
  }

  function showError(text) {
    add({ role: "bot", kind: "error", text: text }, false); // not kept: it describes this page's network state
  }

  /**
   * Send ``message`` to Rasa; ``shown`` is the user's bubble (null: nothing shown, as for feedback).
   * Resolves to true when Rasa answered.
   */
  function send(message, shown, options) {
    if (busy || !String(message).trim()) {
      return Promise.resolve(false);
    }
    busy = true;
    var userEntry = null;
    var userNode = null;
    if (shown) {
      userEntry = { id: newId(), role: "user", text: shown };
      userNode = add(userEntry, true);
    }
    setTyping(true);
    return post(message)
      .then(function (replies) {
        setTyping(false);
        var nodes = replyEntries(replies, !options.noRating && !handoff).map(function (entry) {
          return add(entry, true);
        });
        if (nodes.length) {
          reveal(nodes[0]); // a rating's reply is usually nothing: the widget thanks in place
        }
        return true;
      })
      .catch(function (failure) {
        setTyping(false);
        if (userEntry) {
          // Rasa never got it: the transcript keeps only what the conversation really holds.
          transcript = transcript.filter(function (e) { return e.id !== userEntry.id; });
          saveTranscript();
          log.removeChild(userNode);
        }
        var refusal = failure && failure.serverMessage;
        showError(refusal && !options.errorText ? refusal : options.errorText || TEXT.unreachable);
        if (options.restore && !input.value) {
          input.value = options.restore;
        }
        return false;
      })
      .then(function (ok) {
        busy = false;
        return ok;
      });
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
    if (busy) {
      return;
    }
    if (entry.messageId) {
      fields.message_id = entry.messageId;
    }
    controls.forEach(function (c) { c.disabled = true; });
    var payload = "/feedback" + JSON.stringify(fields);
    send(payload, null, { noRating: true, errorText: TEXT.feedbackFailed }).then(function (ok) {
      if (!ok) {
        controls.forEach(function (c) { c.disabled = false; });
        return;
      }
      done();
      saveTranscript();
      showFeedback(row, entry).focus();
    });
  }

  /* ---------- a civil servant in the conversation (bot/channels/handoff.py) ---------- */

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
    handoffStatus.hidden = !handoff;
    handoffStatus.textContent = !handoff ? "" : state === "taken" ? TEXT.withStaff : TEXT.waiting;
  }

  function startHandoff() {
    if (!handoff) {
      handoff = { after: 0 };
      saveHandoff();
    }
    showHandoff("waiting");
    if (!pollTimer) {
      pollTimer = setTimeout(pollHandoff, opts.pollMs);
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
    var asked = sender;
    fetch(handoffPoll, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, after: handoff.after }),
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (!handoff || !body || asked !== sender) {
          return; // a network hiccup or a new conversation meanwhile: try again on the next tick
        }
        (Array.isArray(body.messages) ? body.messages : []).forEach(function (message) {
          if (typeof message.id === "number" && message.id > handoff.after) {
            handoff.after = message.id;
            var from = message.staff ? TEXT.staff + " " + String(message.staff) : TEXT.staff;
            reveal(add({ role: "bot", kind: "staff", from: from, text: String(message.text || ""), buttons: [] }, true));
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
          pollTimer = setTimeout(pollHandoff, opts.pollMs);
        }
      });
  }

  /* ---------- opening, closing, keyboard ---------- */

  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("tldvc-open", open);
    store.set("sessionStorage", "open", open ? "1" : "0");
    if (open) {
      scrollToEnd();
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
  resetButton.addEventListener("click", function () {
    if (busy) {
      return;
    }
    stopHandoff();
    sender = "web-" + newId();
    store.set("localStorage", "sender", sender);
    transcript = [];
    store.remove("localStorage", "transcript");
    renderAll();
    input.value = "";
    input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) {
      return;
    }
    input.value = "";
    send(text, text, { restore: text });
  });

  /* ---------- start ---------- */

  function cssHref() {
    if (opts.cssUrl) {
      return opts.cssUrl;
    }
    var src = script && script.src ? script.src : "";
    return src ? src.replace(/widget\.js(\?.*)?$/, "widget.css$1") : "widget.css";
  }

  function mount() {
    var link = el("link", { rel: "stylesheet", href: cssHref() });
    link.addEventListener("load", function () { root.hidden = false; });
    link.addEventListener("error", function () { root.hidden = false; });
    document.head.appendChild(link);
    document.body.appendChild(root);
    renderAll();
    if (handoff) {
      startHandoff();
    }
    var wasOpen = store.get("sessionStorage", "open") === "1";
    setOpen(Boolean(opts.startOpen) || wasOpen, false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
