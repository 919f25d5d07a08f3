"""Custom actions of Trợ lý Dịch vụ công (rasa-sdk); run with `rasa run actions --actions actions`.

The actions are thin: they call the catalog API over HTTP and fill reply templates from domain.yml.
"""

from actions.server_auth import install as _install_server_auth
from knowledge.privacy import install_log_masking

# Imported by rasa-sdk at start-up: citizens' questions are in the actions' logs (catalog queries).
install_log_masking()
# Loopback and a shared secret with Rasa (actions/server_auth.py).
_install_server_auth()
