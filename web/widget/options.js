/*
 * Trợ lý Dịch vụ công widget — its options (window.TroLyDVC over the defaults) and every text it shows.
 * Loaded by widget.js; docs/widget.md lists the options.
 */
(function (parts) {
  "use strict";

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

  /** The widget's shared state, started with its options, texts and Rasa's URLs; the other parts add to it. */
  parts.options = function (config) {
    var opts = {};
    Object.keys(DEFAULTS).forEach(function (key) {
      opts[key] = config[key] !== undefined && config[key] !== null ? config[key] : DEFAULTS[key];
    });
    var rasaBase = String(opts.rasaUrl).replace(/\/+$/, "");

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

    return {
      opts: opts,
      text: TEXT,
      webhook: rasaBase + "/webhooks/rest/webhook",
      handoffPoll: rasaBase + "/webhooks/handoff/poll",
    };
  };
})((window.TroLyWidget = window.TroLyWidget || {}));
