"""Custom actions of Trợ lý Dịch vụ công (rasa-sdk); run with `rasa run actions --actions actions`.

The actions are thin: they call the catalog API over HTTP and fill reply templates from domain.yml.
"""
