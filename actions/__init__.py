"""Custom actions of Trợ lý Dịch vụ công (rasa-sdk); run with `rasa run actions --actions actions`.

The actions are thin: they call the catalog API over HTTP and fill reply templates from domain.yml.
"""

from knowledge.privacy import install_log_masking

# Imported by rasa-sdk at start-up: citizens' questions are in the actions' logs (catalog queries).
install_log_masking()
