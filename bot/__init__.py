"""Rasa components of Trợ lý Dịch vụ công (loaded by config.yml as ``bot.tokenizer.VietnameseTokenizer``)."""
