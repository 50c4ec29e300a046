"""Streamlit entry point in a clone: ``streamlit run app.py``. The app itself is checker_app/main.py, which installs
with the package (``net-checker-app`` runs it there)."""

from checker_app.main import main

main()
